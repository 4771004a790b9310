namespace VaultGrpc.Testing.Admin;

/// <summary>Admin input that cannot be acted on: answered with <see cref="HttpStatus"/> and a message naming <see cref="Field"/>.</summary>
internal sealed class AdminInputException(string field, string message, int httpStatus = 400) : Exception(message)
{
    /// <summary>The JSON field (or query parameter) at fault, e.g. <c>faults.code</c> or <c>mode</c>.</summary>
    public string Field { get; } = field;

    public int HttpStatus { get; } = httpStatus;
}
