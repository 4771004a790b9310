using System.CommandLine;
using VaultGrpc.Cli.Input;

namespace VaultGrpc.Cli.Commands;

/// <summary>The one NAME of <c>get</c> and <c>wait</c>, checked with the library's rules before any call.</summary>
internal static class SingleNameArgument
{
    /// <summary>A required NAME argument.</summary>
    public static Argument<string> Create() => new("NAME") { Description = "Operation name, operations/…" };

    /// <summary>The name, validated.</summary>
    /// <exception cref="UsageException">The name is invalid; nothing has been sent.</exception>
    public static string GetValid(ParseResult parse, Argument<string> argument) =>
        NameSet.ValidateAndDeduplicate([parse.GetValue(argument) ?? string.Empty])[0];
}
