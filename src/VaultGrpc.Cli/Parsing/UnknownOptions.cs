using System.CommandLine;
using System.CommandLine.Parsing;

namespace VaultGrpc.Cli.Parsing;

/// <summary>
/// Finds mistyped options. System.CommandLine hands a token it does not know, such as
/// <c>--tiemout</c>, to a command's NAME argument; vault-ops would then report it as a bad
/// operation name. A token that starts with '-' before any <c>--</c> is an option, so it is
/// reported as an unknown one instead (an operation name never starts with '-').
/// </summary>
internal static class UnknownOptions
{
    /// <summary>Every unknown option in <paramref name="parse"/>, in command-line order.</summary>
    public static IReadOnlyList<string> Find(ParseResult parse)
    {
        int doubleDash = IndexOfDoubleDash(parse.Tokens);
        var suspects = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (Token token in parse.Tokens.Where(t => t.Type == TokenType.Argument && parse.UnmatchedTokens.Contains(t.Value)))
        {
            suspects.Add(token);
        }

        foreach (ArgumentResult argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (Token token in argument.Tokens)
            {
                suspects.Add(token);
            }
        }

        var unknown = new List<string>();
        for (int i = 0; i < parse.Tokens.Count && (doubleDash < 0 || i < doubleDash); i++)
        {
            Token token = parse.Tokens[i];
            if (suspects.Contains(token) && LooksLikeOption(token.Value))
            {
                unknown.Add(token.Value);
            }
        }

        return unknown;
    }

    /// <summary>The known option of <paramref name="command"/> closest to <paramref name="typed"/>, or null when none is close.</summary>
    public static string? Suggest(Command command, string typed)
    {
        string bare = typed.Split('=', 2)[0];
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (Option option in command.Options)
        {
            foreach (string alias in option.Aliases.Append(option.Name))
            {
                int distance = EditDistance(bare, alias);
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (alias, distance);
                }
            }
        }

        // More than a third of the word changed is a different word, not a typo.
        return best is not null && bestDistance <= Math.Max(2, bare.Length / 3) ? best : null;
    }

    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static int IndexOfDoubleDash(IReadOnlyList<Token> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions (a swap of two letters counts two).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
