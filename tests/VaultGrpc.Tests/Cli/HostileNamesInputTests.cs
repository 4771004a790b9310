using System.Text;
using VaultGrpc.Cli.Input;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// Names files and standard input that are too long, not UTF-8, or carry a BOM, CRLF or NUL:
/// every problem is reported with its line before anything is sent, and nothing is guessed.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileNamesInputTests
{
    [Fact]
    public async Task Cancel_StandardInputWithoutLineBreaks_StopsAtTheLineCapWithoutReadingTheRest()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        var input = new EndlessBytes((byte)'a', totalBytes: 64L * 1024 * 1024);

        CliRun run = await FakeCli.RunAsync(fake, input, "cancel", "--from-file", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("standard input, line 1: longer than 4096 bytes", run.Error, StringComparison.Ordinal);
        Assert.Empty(fake.Journal.Entries);
        // Read up to the cap plus one read buffer, not the 64 MiB behind it.
        Assert.InRange(input.BytesRead, NameListReader.MaxLineBytes, NameListReader.MaxLineBytes + (64 * 1024));
    }

    [Fact]
    public async Task Cancel_FileWithHugeThirdLine_ErrorNamesLineThreeAndNothingIsSent()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");
        using var file = new TempFile(Encoding.ASCII.GetBytes("operations/a\n# comment\n" + new string('x', 1024 * 1024) + "\noperations/b\n"));

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--from-file", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 3: longer than", run.Error, StringComparison.Ordinal);
        Assert.Empty(fake.Journal.Entries);
        Assert.False(fake.Store.Find("operations/a")!.Done);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public async Task Cancel_FileWithInvalidUtf8OnLineThree_ErrorNamesLineThreeAndNothingIsSent(byte[] invalid)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");
        using var file = new TempFile([.. "operations/a\noperations/b\noperations/c"u8, .. invalid, .. "d\noperations/e\n"u8]);

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--from-file", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 3: not valid UTF-8", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\ufffd', run.Error);
        Assert.Empty(fake.Journal.Entries);
        Assert.False(fake.Store.Find("operations/a")!.Done);
    }

    [Fact]
    public async Task Cancel_StandardInputWithInvalidUtf8OnLineTwo_ErrorNamesLineTwo()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await FakeCli.RunAsync(fake, new MemoryStream([.. "operations/a\r\noperations/"u8, 0xFF, .. "b\r\n"u8]), "cancel", "--from-file", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("standard input, line 2: not valid UTF-8", run.Error, StringComparison.Ordinal);
        Assert.Empty(fake.Journal.Entries);
    }

    [Fact]
    public async Task Cancel_StandardInputWithByteOrderMarkAndCrlf_BomDroppedAndEveryNameSent()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");
        fake.Store.AddRunning("operations/b");

        CliRun run = await FakeCli.RunAsync(fake, new MemoryStream([0xEF, 0xBB, 0xBF, .. "operations/a\r\noperations/b\r\n"u8]), "cancel", "--from-file", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, FakeCli.Lines(run.Out).Length);
        Assert.Equal(["operations/a", "operations/b"], fake.Journal.Where(method: OperationsMethod.Cancel).Select(e => e.OperationName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancel_FileWithByteOrderMarkBeforeACommentAndCrlf_BomDroppedAndNamesSent()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");
        using var file = new TempFile([0xEF, 0xBB, 0xBF, .. "# exported list\r\n\r\noperations/a\r\n"u8]);

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--from-file", file.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.True(fake.Store.Find("operations/a")!.Done);
        Assert.Equal("operations/a", Assert.Single(fake.Journal.Entries).OperationName);
    }

    [Fact]
    public async Task Cancel_FileWithByteOrderMarkBeforeTheFirstName_NameSentWithoutIt()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/first");
        using var file = new TempFile([0xEF, 0xBB, 0xBF, .. "operations/first"u8]);

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--from-file", file.Path, "--output", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"name\":\"operations/first\"", run.Out, StringComparison.Ordinal);
        Assert.True(fake.Store.Find("operations/first")!.Done);
    }

    [Fact]
    public async Task Cancel_NameWithNulFromStandardInput_RejectedEscapedAndNothingSent()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");

        CliRun run = await FakeCli.RunAsync(fake, new MemoryStream("operations/a\noperations/b\0c\n"u8.ToArray()), "cancel", "--from-file", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'operations/b\\u0000c'", run.Error, StringComparison.Ordinal);
        FakeCli.AssertNothingRaw(run.Error);
        Assert.Empty(fake.Journal.Entries);
    }

    [Fact]
    public async Task Cancel_PathWithEscapeSequenceThatDoesNotExist_ErrorEscaped()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        string path = Path.Combine(Path.GetTempPath(), "vault-ops-missing-\u001b[31m-" + Guid.NewGuid().ToString("N"));

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--from-file", path);

        Assert.Equal(2, run.ExitCode);
        FakeCli.AssertNothingRaw(run.Error);
        Assert.Single(FakeCli.Lines(run.Error));
    }

    /// <summary>A file in the temp folder, deleted when disposed.</summary>
    private sealed class TempFile : IDisposable
    {
        public TempFile(byte[] content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllBytes(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }

    /// <summary>A long run of one byte, produced as it is read, counting what was read.</summary>
    private sealed class EndlessBytes(byte fill, long totalBytes) : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, totalBytes - BytesRead);
            buffer[..n].Fill(fill);
            Interlocked.Add(ref _read, n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
