namespace VaultGrpc.Testing.Internal;

/// <summary>The ListOperations filters the fake understands: none, <c>done=true</c> and <c>done=false</c>.</summary>
internal static class OperationFilter
{
    /// <summary>Null for "all"; false when the filter is not understood.</summary>
    public static bool TryParse(string? filter, out bool? done)
    {
        done = null;
        string compact = string.Concat((filter ?? string.Empty).Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        switch (compact)
        {
            case "":
                return true;
            case "done=true":
                done = true;
                return true;
            case "done=false":
                done = false;
                return true;
            default:
                return false;
        }
    }
}
