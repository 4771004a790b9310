using System.Text;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Input;

/// <summary>
/// The operation names of one run: every name checked with the library's own rules before any call
/// (so an invalid one means nothing is sent), then de-duplicated keeping the first occurrence's order.
/// </summary>
internal static class NameSet
{
    /// <summary>How many invalid names are listed before the rest are only counted.</summary>
    private const int MaxProblemsShown = 20;

    /// <summary>The distinct names, in first-seen order.</summary>
    /// <exception cref="UsageException">No names, or one or more invalid ones; the message lists them.</exception>
    public static IReadOnlyList<string> ValidateAndDeduplicate(IEnumerable<string> names)
    {
        // Sized once when the count is known: a list from a file can hold many thousands of names.
        int expected = names.TryGetNonEnumeratedCount(out int count) ? count : 0;
        var distinct = new List<string>(expected);
        var seen = new HashSet<string>(expected, StringComparer.Ordinal);
        var problems = new List<string>();
        int invalidCount = 0;
        foreach (string name in names)
        {
            if (!seen.Add(name))
            {
                continue;
            }

            string? problem = VaultOperationNames.FindProblem(name);
            if (problem is null)
            {
                distinct.Add(name);
                continue;
            }

            invalidCount++;
            if (problems.Count < MaxProblemsShown)
            {
                problems.Add($"  {Quote(name)}: {problem}");
            }
        }

        if (invalidCount > 0)
        {
            var message = new StringBuilder()
                .Append(invalidCount == 1 ? "1 invalid operation name" : $"{invalidCount} invalid operation names")
                .AppendLine("; nothing was sent:");
            message.AppendJoin(Environment.NewLine, problems);
            if (invalidCount > problems.Count)
            {
                message.AppendLine().Append($"  … and {invalidCount - problems.Count} more.");
            }

            throw new UsageException(message.ToString());
        }

        if (distinct.Count == 0)
        {
            throw new UsageException("No operation names given: pass NAME... or --from-file PATH (- for standard input).");
        }

        return distinct;
    }

    /// <summary>The name as a one-line quoted value: unsafe characters escaped (see <see cref="TerminalText"/>), long names cut.</summary>
    public static string Quote(string name)
    {
        string shown = name.Length > 80 ? name[..60] + "…" : name;
        var builder = new StringBuilder(shown.Length + 2).Append('\'').Append(TerminalText.Escape(shown)).Append('\'');
        if (name.Length > 80)
        {
            builder.Append($" ({name.Length} characters)");
        }

        return builder.ToString();
    }
}
