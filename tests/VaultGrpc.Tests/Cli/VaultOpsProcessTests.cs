using System.Diagnostics;

namespace VaultGrpc.Tests.Cli;

/// <summary>The built vault-ops as a real process: what a user runs, with its own console, exit code and signals.</summary>
[Trait("Category", "Reliability")]
public sealed class VaultOpsProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demo_SmallBulk_ExitsZeroAndShowsTheFallback()
    {
        ProcessResult result = await RunAsync(["demo", "--bulk", "50"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("REST", result.Out + result.Error);
    }

    [Fact]
    public async Task CancelFromStdin_AgainstFakeServerProcess_EveryNameCancelledOnce()
    {
        using Process fake = Start(["fake-server", "--seed-ops", "60"], redirectInput: false);
        try
        {
            (string grpc, string rest) = await ReadAddressesAsync(fake);
            string names = string.Join('\n', Enumerable.Range(0, 60).Select(i => $"operations/seed-{i:D5}"));

            ProcessResult result = await RunAsync(
                ["cancel", "--from-file", "-", "--endpoint", grpc, "--rest-endpoint", rest, "--no-auth", "--output", "json"], names);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(60, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\"ok\":true", StringComparison.Ordinal)));
            Assert.Contains("60 cancelled, 0 failed", result.Error);
        }
        finally
        {
            fake.Kill(entireProcessTree: true);
            await fake.WaitForExitAsync().WaitAsync(Generous);
        }
    }

    [Fact]
    public async Task Cancel_MistypedOption_ProcessExitsTwoNamingIt()
    {
        ProcessResult result = await RunAsync(["cancel", "--tiemout", "5", "operations/a", "--no-auth", "--endpoint", "http://127.0.0.1:9"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--tiemout'", result.Error);
        Assert.Empty(result.Out);
    }

    private static async Task<(string GrpcAddress, string RestAddress)> ReadAddressesAsync(Process fake)
    {
        string? grpc = null;
        string? rest = null;
        while (await fake.StandardOutput.ReadLineAsync().WaitAsync(Generous) is { } line && !line.StartsWith("ready", StringComparison.Ordinal))
        {
            string[] parts = line.Split(' ');
            if (parts[0] == "grpc")
            {
                grpc = parts[1];
            }
            else if (parts[0] == "rest")
            {
                rest = parts[1];
            }
        }

        Assert.NotNull(grpc);
        Assert.NotNull(rest);
        return (grpc, rest);
    }

    private static async Task<ProcessResult> RunAsync(string[] args, string standardInput = "")
    {
        using Process process = Start(args, redirectInput: true);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(Generous);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>The vault-ops built beside the tests, run by the same dotnet host that runs them.</summary>
    private static Process Start(string[] args, bool redirectInput)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vault-ops.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No token from the machine running the tests reaches the tool.
        start.Environment.Remove("VAULT_OPS_ACCESS_TOKEN");
        return Process.Start(start) ?? throw new InvalidOperationException("vault-ops did not start.");
    }

    private sealed record ProcessResult(int ExitCode, string Out, string Error);
}
