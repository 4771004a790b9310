namespace VaultGrpc.Tests.ProtoLayout;

/// <summary>
/// The <c>http: rules:</c> of a googleapis-style service config YAML, read line by line: enough for
/// the flat form protos/vault writes (one <c>- selector:</c> per rule, then its verb and optional
/// <c>body</c>), not a YAML parser.
/// </summary>
internal static class ServiceConfigHttpRules
{
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch"];

    /// <summary>Selector → the rule as "VERB path" plus " body=FIELD" when it has a body.</summary>
    public static IReadOnlyDictionary<string, string> Read(string yamlPath)
    {
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inHttp = false;
        string? selector = null;
        string? route = null;
        string? body = null;

        foreach (string raw in File.ReadLines(yamlPath))
        {
            string line = raw.TrimEnd();
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]) && line[0] != '-')
            {
                Flush();
                inHttp = line == "http:";
                continue;
            }

            if (!inHttp)
            {
                continue;
            }

            string item = line.TrimStart().TrimStart('-').TrimStart();
            int colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = item[..colon];
            string value = item[(colon + 1)..].Trim().Trim('\'', '"');
            if (key == "selector")
            {
                Flush();
                selector = value;
            }
            else if (Verbs.Contains(key))
            {
                route = key.ToUpperInvariant() + " " + value;
            }
            else if (key == "body")
            {
                body = value;
            }
        }

        Flush();
        return rules;

        void Flush()
        {
            if (selector is not null)
            {
                rules.Add(selector, route + (body is null ? "" : " body=" + body));
            }

            selector = route = body = null;
        }
    }
}
