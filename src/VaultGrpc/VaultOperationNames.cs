using VaultGrpc.Internal.Naming;

namespace VaultGrpc;

/// <summary>
/// The rules the client checks every operation name against before any I/O, for code that takes
/// names from people or files and wants to refuse a bad one early, with the client's own words.
/// </summary>
/// <remarks>
/// A valid name starts with <c>operations/</c>, is at most <see cref="MaxLength"/> characters long,
/// has no empty, <c>.</c> or <c>..</c> segment and no character a reader cannot see or tell apart
/// (controls, format characters, private use, noncharacters, U+FFFD), so that the name sent is
/// byte for byte the name a person reads.
/// </remarks>
public static class VaultOperationNames
{
    /// <summary>The collection ListOperations is called on; every operation name starts with it and a slash.</summary>
    public const string Collection = OperationNameRules.Collection;

    /// <summary>The longest name accepted, in UTF-16 code units.</summary>
    public const int MaxLength = OperationNameRules.MaxLength;

    /// <summary>Why <paramref name="name"/> is not a valid operation name (one sentence), or null when it is valid.</summary>
    /// <param name="name">The name to check; null is invalid.</param>
    public static string? FindProblem(string? name) => OperationNameRules.FindProblem(name);

    /// <summary>Whether <paramref name="name"/> is a valid operation name.</summary>
    /// <param name="name">The name to check; null is invalid.</param>
    public static bool IsValid(string? name) => OperationNameRules.FindProblem(name) is null;

    /// <summary>Returns <paramref name="name"/> when it is valid; otherwise throws as the client's calls do.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentException">The name is invalid; the message quotes it (shortened if long) and names the rule.</exception>
    public static string Validate(string? name, string paramName = "name") => OperationNameRules.ValidateOperation(name, paramName);
}
