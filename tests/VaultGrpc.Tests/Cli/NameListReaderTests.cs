using System.Text;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Input;

namespace VaultGrpc.Tests.Cli;

public sealed class NameListReaderTests
{
    [Fact]
    public async Task ReadLinesAsync_BlankLinesCommentsAndCarriageReturns_KeepsOnlyNamesInOrder()
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes("# header\r\noperations/a\r\n\r\n   \n  # indented comment\n  operations/b  \noperations/a#not-a-comment\n"));

        IReadOnlyList<string> names = await NameListReader.ReadLinesAsync(input, "test", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["operations/a", "operations/b", "operations/a#not-a-comment"], names);
    }

    [Fact]
    public async Task ReadAsync_Dash_ReadsStandardInput()
    {
        IReadOnlyList<string> names = await NameListReader.ReadAsync("-", new MemoryStream("operations/x\n"u8.ToArray()), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["operations/x"], names);
    }

    [Fact]
    public async Task ReadAsync_File_ReadsItsLines()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "operations/f1\n#c\noperations/f2\n");

            IReadOnlyList<string> names = await NameListReader.ReadAsync(path, Stream.Null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(["operations/f1", "operations/f2"], names);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsUsageExceptionNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "vault-ops-missing-" + Guid.NewGuid().ToString("N"));

        UsageException error = await Assert.ThrowsAsync<UsageException>(() => NameListReader.ReadAsync(path, Stream.Null, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task ReadLinesAsync_LineOfExactlyTheCap_AcceptedOneByteMore_Rejected()
    {
        byte[] atCap = [.. "operations/"u8, .. Enumerable.Repeat((byte)'x', NameListReader.MaxLineBytes - "operations/".Length)];

        IReadOnlyList<string> names = await NameListReader.ReadLinesAsync(new MemoryStream([.. atCap, (byte)'\n']), "test", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        UsageException tooLong = await Assert.ThrowsAsync<UsageException>(() => NameListReader.ReadLinesAsync(new MemoryStream([.. atCap, (byte)'x']), "test", CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(NameListReader.MaxLineBytes, Assert.Single(names).Length);
        Assert.StartsWith("test, line 1: longer than 4096 bytes", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task ReadLinesAsync_InvalidByte_MessageNamesLineAndByte()
    {
        var input = new MemoryStream([.. "operations/a\noperations/"u8, 0xFF, .. "b\n"u8]);

        UsageException error = await Assert.ThrowsAsync<UsageException>(() => NameListReader.ReadLinesAsync(input, "names.txt", CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("names.txt, line 2: not valid UTF-8 at byte 12; nothing was sent.", error.Message);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task ReadLinesAsync_ByteOrderMarkAfterTheFirstLine_Kept()
    {
        // Only a mark that starts the input is one; later, U+FEFF is part of the line, for the name rules to judge.
        var input = new MemoryStream([.. "operations/a\n"u8, 0xEF, 0xBB, 0xBF, .. "operations/b\n"u8]);

        IReadOnlyList<string> names = await NameListReader.ReadLinesAsync(input, "test", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["operations/a", "\ufeffoperations/b"], names);
    }
}
