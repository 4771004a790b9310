
namespace VaultGrpc.Cli.Output;

/// <summary>
/// Removes secrets from any text before it is printed, whatever echoed them: the run's access
/// token exactly, and every credential shape the library's <see cref="VaultSafeText"/> knows
/// (one set of rules for the library and the tool). Safe on an already encoded line: a secret
/// behind a JSON escape is found and masked, and the rest of the line is left as it was.
/// </summary>
internal sealed class SecretRedactor(IEnumerable<string?> secrets)
{
    private readonly string[] _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    /// <summary>A redactor that knows no secret of its own (the library's rules still apply).</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary><paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public string Redact(string text) => VaultSafeText.Redact(text, _secrets);
}
