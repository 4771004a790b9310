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
}
