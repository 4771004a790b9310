using System.Text;
using VaultGrpc.Internal.Naming;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// A parsed <c>google.api.http</c> path template (google/api/http.proto):
/// <c>"/" Segments [":" Verb]</c>, where a segment is a literal, <c>*</c>, <c>**</c> or a variable
/// <c>{field.path[=Segments]}</c>. Expansion takes the variables' values from the request.
/// </summary>
/// <remarks>
/// Unnamed <c>*</c>/<c>**</c> outside a variable bind nothing the client could fill in, so a template
/// holding one is refused when parsed (the method has no route a client can build).
/// </remarks>
internal sealed class PathTemplate
{
    // A path longer than this is rare; its builder is not kept.
    private const int MaxCachedBuilderCapacity = 2048;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly IReadOnlyList<object> _parts; // string (a literal, as written) or PathVariable

    private PathTemplate(string text, IReadOnlyList<object> parts, string? verb)
    {
        Text = text;
        _parts = parts;
        Verb = verb;
        Variables = parts.OfType<PathVariable>().ToArray();
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The <c>:verb</c> suffix without its colon, or null.</summary>
    public string? Verb { get; }

    /// <summary>The variables, in the order they appear.</summary>
    public IReadOnlyList<PathVariable> Variables { get; }

    /// <summary>Parses <paramref name="template"/>.</summary>
    /// <exception cref="FormatException">The template breaks the grammar.</exception>
    public static PathTemplate Parse(string template)
    {
        if (string.IsNullOrEmpty(template) || template[0] != '/')
        {
            throw new FormatException($"The path template '{template}' does not start with '/'.");
        }

        // The verb is the text after the last ':' that is outside every variable.
        int depth = 0;
        int verbColon = -1;
        for (int i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{': depth++; break;
                case '}': depth--; break;
                case ':' when depth == 0: verbColon = i; break;
            }
        }

        string path = verbColon < 0 ? template : template[..verbColon];
        string? verb = verbColon < 0 ? null : template[(verbColon + 1)..];
        if (verb is { Length: 0 } || (verb is not null && verb.IndexOfAny(['/', '{', '}', '*']) >= 0))
        {
            throw new FormatException($"The path template '{template}' has an invalid verb.");
        }

        var parts = new List<object>();
        int position = 1;
        while (position <= path.Length)
        {
            if (position == path.Length)
            {
                throw new FormatException($"The path template '{template}' ends with '/'.");
            }

            if (path[position] == '{')
            {
                int close = path.IndexOf('}', position);
                if (close < 0)
                {
                    throw new FormatException($"The path template '{template}' has an unclosed variable.");
                }

                parts.Add(PathVariable.Parse(path[(position + 1)..close], template));
                position = close + 1;
            }
            else
            {
                int end = path.IndexOf('/', position);
                end = end < 0 ? path.Length : end;
                string literal = path[position..end];
                if (literal.Length == 0 || literal is "*" or "**" || literal.IndexOfAny(['{', '}', '=']) >= 0)
                {
                    throw new FormatException($"The path template '{template}' has a segment '{literal}' a client cannot fill in.");
                }

                parts.Add(literal);
                position = end;
            }

            if (position < path.Length && path[position] != '/')
            {
                throw new FormatException($"The path template '{template}' has text after a variable in the same segment.");
            }

            position++;
        }

        return new PathTemplate(template, parts, verb);
    }

    /// <summary>
    /// The percent-encoded path (and verb) for the given variable values, one per
    /// <see cref="Variables"/> entry in order.
    /// </summary>
    /// <exception cref="ArgumentException">A value would not stay the one path segment(s) its variable names.</exception>
    public string Expand(IReadOnlyList<string> values) => Expand(values, string.Empty);

    /// <summary>As <see cref="Expand(IReadOnlyList{string})"/>, after <paramref name="prefix"/> (a base URL): one string for both.</summary>
    public string Expand(IReadOnlyList<string> values, string prefix)
    {
        // A builder per thread, reused: a path is built on every call.
        StringBuilder path = t_builder ?? new StringBuilder(256);
        t_builder = null;
        path.Clear();
        path.Append(prefix);
        int next = 0;
        foreach (object part in _parts)
        {
            path.Append('/');
            if (part is string literal)
            {
                path.Append(literal);
            }
            else
            {
                var variable = (PathVariable)part;
                string value = values[next++];
                variable.Validate(value);
                PathEncoding.Append(path, value, keepSlash: variable.IsMultiSegment);
            }
        }

        if (Verb is not null)
        {
            path.Append(':').Append(Verb);
        }

        string expanded = path.ToString();
        if (path.Capacity <= MaxCachedBuilderCapacity)
        {
            t_builder = path;
        }

        return expanded;
    }
}
