using System.Diagnostics;
using System.Reflection;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// The fake Operations server in a child process (this executable, <see cref="RemoteFakeHost.Verb"/>),
/// so client allocations and CPU are the client's. Started from a GlobalSetup, killed on dispose
/// (GlobalCleanup) and on any failure to start; it also stops by itself when our end of its standard
/// input closes (this process ended).
/// </summary>
internal sealed class RemoteFake : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private RemoteFake(Process process, Uri grpcAddress, Uri restAddress)
    {
        _process = process;
        GrpcAddress = grpcAddress;
        RestAddress = restAddress;
    }

    public Uri GrpcAddress { get; }

    public Uri RestAddress { get; }

    public static RemoteFake Start()
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };

        // Run as "dotnet our.dll" or through the apphost, whichever started us.
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add(RemoteFakeHost.Verb);
        start.Environment["DOTNET_gcServer"] = "0";

        Process process = Process.Start(start) ?? throw new InvalidOperationException("The remote fake did not start.");
        try
        {
            Uri? grpc = null;
            Uri? rest = null;
            using var bound = new CancellationTokenSource(StartBound);
            while (true)
            {
                string line = process.StandardOutput.ReadLineAsync(bound.Token).AsTask().GetAwaiter().GetResult()
                    ?? throw new InvalidOperationException($"The remote fake exited before it was ready (exit code {(process.HasExited ? process.ExitCode : -1)}).");
                if (line.StartsWith("grpc ", StringComparison.Ordinal))
                {
                    grpc = new Uri(line[5..]);
                }
                else if (line.StartsWith("rest ", StringComparison.Ordinal))
                {
                    rest = new Uri(line[5..]);
                }
                else if (line == "ready")
                {
                    break;
                }
            }

            return new RemoteFake(process, grpc ?? throw new InvalidOperationException("No grpc line."), rest ?? throw new InvalidOperationException("No rest line."));
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>The latest request the fake journaled, as one line (transport, method, status, the two headers).</summary>
    public string LastCall()
    {
        _process.StandardInput.WriteLine("last");
        _process.StandardInput.Flush();
        while (true)
        {
            string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The remote fake exited.");
            if (line.StartsWith("last ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    /// <summary>Switches how the fake's gRPC side answers (REST is served in every mode).</summary>
    public void SetGrpcMode(Testing.GrpcServingMode mode)
    {
        _process.StandardInput.WriteLine(RemoteFakeHost.GrpcModeCommand + mode);
        _process.StandardInput.Flush();
        while (true)
        {
            string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The remote fake exited.");
            if (line == "mode " + mode)
            {
                return;
            }
        }
    }

    /// <summary>Adds <paramref name="count"/> running operations named <paramref name="prefix"/> + an index; returns their names.</summary>
    public IReadOnlyList<string> AddRunning(int count, string prefix)
    {
        _process.StandardInput.WriteLine($"{RemoteFakeHost.AddRunningCommand}{count} {prefix}");
        _process.StandardInput.Flush();
        var names = new List<string>(count);
        while (true)
        {
            string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The remote fake exited.");
            if (line.StartsWith("name ", StringComparison.Ordinal))
            {
                names.Add(line[5..]);
            }
            else if (line == $"added {count}")
            {
                return names;
            }
        }
    }

    /// <summary>Fails unless the latest request matches every one of <paramref name="expected"/> (substrings of <see cref="LastCall"/>).</summary>
    public void ExpectLastCall(params string[] expected)
    {
        string last = LastCall();
        foreach (string part in expected)
        {
            if (!last.Contains(part, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The setup is not what the case claims: expected '{part}' in '{last}'.");
            }
        }
    }

    public void Dispose() => Kill(_process);

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
        finally
        {
            process.Dispose();
        }
    }
}
