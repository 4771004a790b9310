namespace VaultGrpc.Cli.Output;

/// <summary>Removes secrets (the access token) from any text before it is printed, whatever echoed them.</summary>
internal sealed class SecretRedactor(IEnumerable<string?> secrets)
{
    private const string Mask = "***";

    private readonly string[] _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    /// <summary>A redactor that has nothing to hide.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary><paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public string Redact(string text)
    {
        foreach (string secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
