using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// <c>vault-ops fake-server</c> as a test harness in another language runs it: a real process, its ready line or file,
/// the admin API at the address it names, and its exit on SIGTERM, SIGINT and bad flags.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FakeServerProcessTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadyJson_ThenSigterm_OneLineNamingEverythingThenExitZero()
    {
        using Process fake = Start("fake-server", "--ready-json", "--seed-ops", "3");
        try
        {
            string line = (await fake.StandardOutput.ReadLineAsync().WaitAsync(Generous))!;
            using JsonDocument ready = JsonDocument.Parse(line);
            JsonElement root = ready.RootElement;
            using var admin = new HttpClient { BaseAddress = new Uri(root.GetProperty("admin").GetString()!), Timeout = Generous };
            using JsonDocument status = JsonDocument.Parse(await admin.GetStringAsync("/v1/status"));

            Assert.Equal(fake.Id, root.GetProperty("pid").GetInt32());
            Assert.Equal($"127.0.0.1:{root.GetProperty("grpcPort").GetInt32()}", root.GetProperty("env").GetProperty("VAULT_FAKE_GRPC").GetString());
            Assert.Equal(root.GetProperty("rest").GetString(), root.GetProperty("env").GetProperty("VAULT_FAKE_REST").GetString());
            Assert.Equal(root.GetProperty("admin").GetString(), root.GetProperty("env").GetProperty("VAULT_FAKE_ADMIN").GetString());
            Assert.Equal(3, status.RootElement.GetProperty("operations").GetInt32());

            Assert.Equal(0, Kill(fake.Id, SigTerm));
            await fake.WaitForExitAsync().WaitAsync(Generous);
            Assert.Equal(0, fake.ExitCode);
            Assert.Contains("stopping after", await fake.StandardError.ReadToEndAsync());
        }
        finally
        {
            StopIfRunning(fake);
        }
    }

    [Fact]
    public async Task ReadyFile_ThenSigint_FileHoldsTheReadyLineAndIsRemovedOnExit()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vault-fake-ready-{Guid.NewGuid():N}.json");
        using Process fake = Start("fake-server", "--ready-file", path, "--grpc-mode", "unimplemented");
        try
        {
            string line = await WaitForFileAsync(path, fake);
            using JsonDocument ready = JsonDocument.Parse(line);
            using var rest = new HttpClient { BaseAddress = new Uri(ready.RootElement.GetProperty("env").GetProperty("VAULT_FAKE_REST").GetString()!), Timeout = Generous };
            using HttpResponseMessage missing = await rest.GetAsync("/v1/operations/none");

            Assert.Equal("unimplemented", ready.RootElement.GetProperty("grpcMode").GetString());
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            Assert.Equal(0, Kill(fake.Id, SigInt));
            await fake.WaitForExitAsync().WaitAsync(Generous);
            Assert.Equal(0, fake.ExitCode);
            Assert.False(File.Exists(path));
        }
        finally
        {
            StopIfRunning(fake);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PortInUse_ExitsTwoSayingItCannotListen()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using Process fake = Start("fake-server", "--grpc-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string error = await fake.StandardError.ReadToEndAsync().WaitAsync(Generous);
        await fake.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(2, fake.ExitCode);
        Assert.Contains("Cannot listen", error);
    }

    [Fact]
    public async Task AdminPortOutOfRange_ExitsTwoNamingTheFlag()
    {
        using Process fake = Start("fake-server", "--admin-port", "70000");
        string error = await fake.StandardError.ReadToEndAsync().WaitAsync(Generous);
        await fake.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(2, fake.ExitCode);
        Assert.Contains("--admin-port must be -1 (none), 0 (any) or a port number (was 70000).", error);
        Assert.DoesNotContain("AdminPort", error);
    }

    private static async Task<string> WaitForFileAsync(string path, Process fake)
    {
        // A harness's wait: poll for the file, bounded generously, failing early if the process died.
        using var bound = new CancellationTokenSource(Generous);
        while (!File.Exists(path))
        {
            if (fake.HasExited)
            {
                Assert.Fail("fake-server exited before it was ready: " + await fake.StandardError.ReadToEndAsync());
            }

            await Task.Delay(50, bound.Token);
        }

        return (await File.ReadAllTextAsync(path)).TrimEnd('\n');
    }

    private static void StopIfRunning(Process fake)
    {
        if (!fake.HasExited)
        {
            fake.Kill(entireProcessTree: true);
            fake.WaitForExit(Generous);
        }
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vault-ops.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("VAULT_OPS_ACCESS_TOKEN");
        return Process.Start(start) ?? throw new InvalidOperationException("vault-ops did not start.");
    }

    /// <summary>Sends a signal as a harness's shell would, with kill(1); its exit code.</summary>
    private static int Kill(int pid, int signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(Generous);
        return kill.ExitCode;
    }
}
