namespace VaultGrpc.Cli.Input;

/// <summary>Reads operation names from a file or standard input: one a line, blank lines and <c>#</c> comment lines skipped.</summary>
internal static class NameListReader
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>Reads every name from <paramref name="path"/> (or <paramref name="standardInput"/> for <c>-</c>).</summary>
    /// <exception cref="UsageException">The file cannot be read.</exception>
    public static async Task<IReadOnlyList<string>> ReadAsync(string path, TextReader standardInput, CancellationToken cancellationToken)
    {
        if (path == StandardInput)
        {
            return await ReadLinesAsync(standardInput, cancellationToken);
        }

        try
        {
            using var reader = new StreamReader(path);
            return await ReadLinesAsync(reader, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read names from '{path}': {e.Message}");
        }
    }

    /// <summary>The names in <paramref name="reader"/>, in order; each line trimmed (files from Windows end lines with CR).</summary>
    public static async Task<IReadOnlyList<string>> ReadLinesAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            names.Add(trimmed);
        }

        return names;
    }
}
