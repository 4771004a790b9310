using System.Text;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Input;

/// <summary>
/// Reads operation names from a file or standard input: one a line, blank lines and <c>#</c> comment
/// lines skipped, each line trimmed. The bytes are read and split here, not by a text reader, so that
/// every problem is reported with its line number and nothing is guessed:
/// <list type="bullet">
/// <item>a line longer than <see cref="MaxLineBytes"/> is an error, found without reading further
/// (a file without line breaks is never buffered whole);</item>
/// <item>a line that is not valid UTF-8 is an error (never decoded to U+FFFD and sent);</item>
/// <item>a UTF-8 byte order mark before the first line is dropped; lines may end with LF or CRLF.</item>
/// </list>
/// The whole list is read and checked before anything is sent (duplicates can only be dropped
/// once every name is known), so a bad line anywhere means no call at all; memory is bounded per
/// line, and overall grows with the number of names, as the list of results does.
/// </summary>
internal static class NameListReader
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// Longest line accepted, in bytes: a valid name has at most <see cref="VaultOperationNames.MaxLength"/>
    /// UTF-16 characters, each at most 3 bytes of UTF-8, and this leaves room for indentation on top.
    /// A longer line cannot hold a valid name.
    /// </summary>
    public const int MaxLineBytes = 4 * VaultOperationNames.MaxLength;

    private const int ReadBufferBytes = 16 * 1024;

    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    // Throws on any invalid sequence (stray continuation bytes, overlong forms, encoded surrogates).
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every name from <paramref name="path"/> (or <paramref name="standardInput"/> for <c>-</c>).</summary>
    /// <exception cref="UsageException">The file cannot be read, or a line is too long or not UTF-8.</exception>
    public static async Task<IReadOnlyList<string>> ReadAsync(string path, Stream standardInput, CancellationToken cancellationToken)
    {
        if (path == StandardInput)
        {
            return await ReadLinesAsync(standardInput, "standard input", cancellationToken);
        }

        string shownPath = TerminalText.Escape(path);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await ReadLinesAsync(file, $"'{shownPath}'", cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read names from '{shownPath}': {e.Message}");
        }
    }

    /// <summary>The names in <paramref name="input"/>, in order.</summary>
    /// <param name="input">The bytes, UTF-8.</param>
    /// <param name="source">How errors name the input: "standard input", or the quoted path.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="UsageException">A line is too long or not valid UTF-8; the message names the line.</exception>
    public static async Task<IReadOnlyList<string>> ReadLinesAsync(Stream input, string source, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        byte[] buffer = new byte[ReadBufferBytes];
        byte[] line = new byte[MaxLineBytes];
        int lineLength = 0;
        int lineNumber = 1;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            int start = 0;
            while (start < read)
            {
                int newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                int end = newline < 0 ? read : newline;
                if (lineLength + (end - start) > MaxLineBytes)
                {
                    throw new UsageException(
                        $"{source}, line {lineNumber}: longer than {MaxLineBytes} bytes, so it cannot hold an operation name " +
                        $"(at most {VaultOperationNames.MaxLength} characters); stopped reading there, nothing was sent.");
                }

                Array.Copy(buffer, start, line, lineLength, end - start);
                lineLength += end - start;
                if (newline < 0)
                {
                    break;
                }

                AddName(names, line.AsSpan(0, lineLength), lineNumber, source);
                lineLength = 0;
                lineNumber++;
                start = newline + 1;
            }
        }

        // The last line need not end with a line break.
        AddName(names, line.AsSpan(0, lineLength), lineNumber, source);
        return names;
    }

    private static void AddName(List<string> names, ReadOnlySpan<byte> line, int lineNumber, string source)
    {
        if (lineNumber == 1 && line.StartsWith(Utf8ByteOrderMark))
        {
            line = line[Utf8ByteOrderMark.Length..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            string offset = e.Index >= 0 ? $" at byte {e.Index + 1}" : string.Empty;
            throw new UsageException($"{source}, line {lineNumber}: not valid UTF-8{offset}; nothing was sent.");
        }

        // Trim also drops the CR of a CRLF line end.
        string trimmed = text.Trim();
        if (trimmed.Length > 0 && trimmed[0] != '#')
        {
            names.Add(trimmed);
        }
    }
}
