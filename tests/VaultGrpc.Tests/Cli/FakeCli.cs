using System.Globalization;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary>vault-ops in-process with the real client against a fake on 127.0.0.1 sockets, and checks on what it printed.</summary>
internal static class FakeCli
{
    public static Task<FakeOperationsServer> StartAsync() => FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets);

    public static Task<CliRun> RunAsync(FakeOperationsServer fake, params string[] args) => RunAsync(fake, Stream.Null, args);

    public static Task<CliRun> RunAsync(FakeOperationsServer fake, Stream standardInput, params string[] args) => CliRun.RunAsync(
        [.. args, "--endpoint", fake.GrpcAddress.ToString(), "--rest-endpoint", fake.RestAddress.ToString(), "--no-auth"],
        ExplainedFailuresClient.ForOptions,
        standardInput,
        null,
        errorIsTerminal: false,
        CancellationToken.None);

    /// <summary>The lines exactly as a terminal or a line-reading pipe would see them: split at LF only, nothing trimmed or dropped.</summary>
    public static string[] Lines(string printed)
    {
        Assert.True(printed.Length == 0 || printed.EndsWith('\n'), "output must end with a line break");
        return printed.Length == 0 ? [] : printed[..^1].Split('\n');
    }

    /// <summary>
    /// Fails if <paramref name="printed"/> holds, anywhere but as a line end, a character that a
    /// terminal or a line reader acts on: C0 controls (CR, ESC, NUL…), DEL, C1 controls (NEL, CSI…),
    /// U+2028/U+2029, bidi embeddings, overrides, isolates and marks, or an unpaired surrogate.
    /// Written out independently of the code under test.
    /// </summary>
    public static void AssertNothingRaw(string printed)
    {
        for (int i = 0; i < printed.Length; i++)
        {
            char c = printed[i];
            bool lineEnd = c == '\n';
            bool unpaired = char.IsHighSurrogate(c) ? i + 1 >= printed.Length || !char.IsLowSurrogate(printed[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(printed[i - 1]));
            bool raw = !lineEnd && (c < ' '
                || c is >= '\u007f' and <= '\u009f'
                || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u061c'
                || c is >= '\u202a' and <= '\u202e'
                || c is >= '\u2066' and <= '\u2069'
                || unpaired);
            Assert.False(raw, $"raw U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)} at index {i} of: {printed}");
        }
    }
}
