using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Parsing;

/// <summary>
/// Numeric options whose parse errors say what was expected, in words and with the flag's name.
/// Left to System.CommandLine, <c>--timeout abc</c> reads "Cannot parse argument 'abc' for option
/// '--timeout' as expected type 'System.Nullable`1[System.Double]'".
/// </summary>
internal static class NumberOption
{
    /// <summary>An optional number of seconds (fractions allowed); range checks are the command's.</summary>
    public static Option<double?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            string text = SingleToken(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                return value;
            }

            result.AddError($"{name}: expected a number of seconds, such as 10 or 2.5 (got '{Quoted(text)}').");
            return null;
        },
    };

    /// <summary>A whole number with a default shown in help; range checks are the command's.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = SingleToken(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }

            result.AddError($"{name}: expected a whole number (got '{Quoted(text)}').");
            return defaultValue;
        },
    };

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    // The value may be anything the user pasted, a token included: redacted, one escaped line, short.
    private static string Quoted(string text) => TerminalText.Escape(VaultSafeText.OneLine(text, 60));
}
