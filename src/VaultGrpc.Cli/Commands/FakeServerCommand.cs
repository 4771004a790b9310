using System.CommandLine;
using System.Text.Json;
using VaultGrpc.Cli.Parsing;
using VaultGrpc.Testing;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// <c>fake-server</c>: the in-process fake as a standalone process on 127.0.0.1, for tests written in
/// other languages: gRPC, REST, the admin API, health and reflection. Prints its addresses (as text or one
/// JSON line), serves until SIGINT or SIGTERM.
/// </summary>
internal static class FakeServerCommand
{
    /// <summary>The --grpc-mode values (the admin API's words, plus the older off and http1) and the fake's modes they select.</summary>
    internal static readonly IReadOnlyDictionary<string, GrpcServingMode> Modes = new Dictionary<string, GrpcServingMode>(StringComparer.Ordinal)
    {
        ["serve"] = GrpcServingMode.Serve,
        ["unimplemented"] = GrpcServingMode.Unimplemented,
        ["gateway-503"] = GrpcServingMode.Gateway503,
        ["html-login-page"] = GrpcServingMode.HtmlLoginPage,
        ["not-listening"] = GrpcServingMode.NotListening,
        ["http1-only"] = GrpcServingMode.Http1Only,
        ["off"] = GrpcServingMode.NotListening,
        ["http1"] = GrpcServingMode.Http1Only,
    };

    /// <summary>The --rest-error-shape values.</summary>
    internal static readonly IReadOnlyDictionary<string, RestErrorShape> ErrorShapes = new Dictionary<string, RestErrorShape>(StringComparer.Ordinal)
    {
        ["aip193"] = RestErrorShape.Aip193,
        ["bare-status"] = RestErrorShape.BareStatus,
    };

    /// <summary>The --grpc-unimplemented values.</summary>
    internal static readonly IReadOnlyDictionary<string, OperationsMethod> Methods = new Dictionary<string, OperationsMethod>(StringComparer.Ordinal)
    {
        ["list"] = OperationsMethod.List,
        ["get"] = OperationsMethod.Get,
        ["delete"] = OperationsMethod.Delete,
        ["cancel"] = OperationsMethod.Cancel,
        ["wait"] = OperationsMethod.Wait,
    };

    private const string Name = "fake-server";
    private const string Description = "Run the fake Operations server on 127.0.0.1 (gRPC, REST, admin API) until SIGINT (Ctrl-C) or SIGTERM";

    /// <summary>The command's name and description alone: what the root's help shows of it.</summary>
    public static Command Outline() => new(Name, Description);

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        var grpcPort = NumberOption.WholeNumber("--grpc-port", "Port of the gRPC (h2c) listener; 0 for any free port", 0);
        var restPort = NumberOption.WholeNumber("--rest-port", "Port of the REST (HTTP/1.1) listener; 0 for any free port", 0);
        var restH2cPort = NumberOption.WholeNumber("--rest-h2c-port", "Port of the REST h2c listener; 0 for any free port, -1 for none", 0);
        var adminPort = NumberOption.WholeNumber("--admin-port", "Port of the admin API (HTTP/JSON); 0 for any free port, -1 for none", 0);
        var grpcMode = new Option<string>("--grpc-mode")
        {
            Description = "serve; unimplemented (a server without the service); gateway-503; html-login-page (a proxy's login page); "
                + "not-listening (connection refused; also 'off'); http1-only (HTTP/1.1 on the gRPC port; also 'http1'). "
                + "The last two only at start; the others also through the admin API",
            DefaultValueFactory = _ => "serve",
        };
        grpcMode.AcceptOnlyFromAmong([.. Modes.Keys]);
        var grpcUnimplemented = new Option<string[]>("--grpc-unimplemented")
        {
            Description = "Answer these RPCs UNIMPLEMENTED over gRPC (list, get, delete, cancel, wait); repeat the flag for more",
            HelpName = "RPC",
            AllowMultipleArgumentsPerToken = false,
        };
        grpcUnimplemented.AcceptOnlyFromAmong([.. Methods.Keys]);
        var errorShape = new Option<string>("--rest-error-shape")
        {
            Description = "aip193 ({\"error\":{…}}, Google's) or bare-status ({\"code\":…}, ASP.NET transcoding and grpc-gateway)",
            DefaultValueFactory = _ => "aip193",
        };
        errorShape.AcceptOnlyFromAmong([.. ErrorShapes.Keys]);
        var strictCancel = new Option<bool>("--strict-cancel-body")
        {
            Description = "REST Cancel refuses any body, {} included (default: no bytes and {} are both accepted, fields refused)",
        };
        var seedOps = NumberOption.WholeNumber("--seed-ops", "Running operations to add at start, operations/seed-00000 …", 0);
        var requireToken = new Option<string?>("--require-token")
        {
            Description = "Answer UNAUTHENTICATED unless calls carry Authorization: Bearer T",
            HelpName = "T",
        };
        var randomSeed = NumberOption.WholeNumber("--random-seed", "Seed of the random numbers that pick calls for faults with a probability", 1);
        var journalCapacity = NumberOption.WholeNumber("--journal-capacity", "Most journal entries kept; the oldest are forgotten past it", 100_000);
        var noHealth = new Option<bool>("--no-health") { Description = "Do not serve grpc.health.v1.Health" };
        var noReflection = new Option<bool>("--no-reflection") { Description = "Do not serve gRPC server reflection" };
        var readyJson = new Option<bool>("--ready-json")
        {
            Description = "When ready, print one JSON line (addresses, ports, admin URL, PID, env) instead of the text lines",
        };
        var readyFile = new Option<string?>("--ready-file")
        {
            Description = "When ready, write the same JSON line to PATH (atomically: written beside it, then renamed); removed on exit",
            HelpName = "PATH",
        };
        var command = new Command(Name, Description)
        {
            grpcPort, restPort, restH2cPort, adminPort, grpcMode, grpcUnimplemented, errorShape, strictCancel, seedOps, requireToken,
            randomSeed, journalCapacity, noHealth, noReflection, readyJson, readyFile,
        };
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            var options = new FakeServerOptions
            {
                Hosting = FakeHosting.Sockets,
                GrpcMode = Modes[parse.GetValue(grpcMode)!],
                GrpcPort = parse.GetValue(grpcPort),
                RestPort = parse.GetValue(restPort),
                RestHttp2Port = parse.GetValue(restH2cPort),
                AdminPort = parse.GetValue(adminPort),
                RestErrorShape = ErrorShapes[parse.GetValue(errorShape)!],
                StrictCancelBody = parse.GetValue(strictCancel),
                SeedRunningOperations = parse.GetValue(seedOps),
                RequiredBearerToken = parse.GetValue(requireToken),
                RandomSeed = parse.GetValue(randomSeed),
                JournalCapacity = parse.GetValue(journalCapacity),
                ServeHealth = !parse.GetValue(noHealth),
                ServeReflection = !parse.GetValue(noReflection),
            };

            FakeOperationsServer fake;
            try
            {
                fake = await FakeOperationsServer.StartAsync(options, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(InTermsOfFlags(e.Message));
            }
            catch (IOException e)
            {
                // Kestrel reports a port in use as an IOException.
                throw new UsageException($"Cannot listen: {e.Message}");
            }

            await using (fake)
            {
                fake.SetGrpcUnimplemented([.. (parse.GetValue(grpcUnimplemented) ?? []).Select(m => Methods[m])]);
                string ready = ReadyLine(fake, parse.GetValue(grpcMode)!);
                string? readyPath = parse.GetValue(readyFile);
                if (readyPath is not null)
                {
                    WriteReadyFile(readyPath, ready);
                }

                try
                {
                    if (parse.GetValue(readyJson))
                    {
                        await host.Out.WriteLineAsync(ready);
                    }
                    else
                    {
                        await WriteTextAsync(host.Out, fake, parse.GetValue(grpcMode)!, options.SeedRunningOperations);
                    }

                    await host.Out.FlushAsync(CancellationToken.None);
                    await fake.RunUntilCancelledAsync(cancellationToken);
                    await host.Error.WriteLineAsync($"fake-server: stopping after {fake.Journal.Entries.Count} requests.");
                }
                finally
                {
                    if (readyPath is not null)
                    {
                        File.Delete(readyPath);
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The ready line: URLs, ports, PID, and <c>env</c>, the variables a test suite reads (<c>VAULT_FAKE_GRPC</c> is a
    /// gRPC target, <c>host:port</c>, as grpcio, grpc-go and grpc-js take it; the others are base URLs).
    /// </summary>
    internal static string ReadyLine(FakeOperationsServer fake, string mode)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("grpc", Trimmed(fake.GrpcAddress));
            json.WriteString("grpcTarget", fake.GrpcAddress.Authority);
            json.WriteString("rest", Trimmed(fake.RestAddress));
            WriteNullable(json, "restH2c", fake.RestHttp2Address is { } h2c ? Trimmed(h2c) : null);
            WriteNullable(json, "admin", fake.AdminAddress is { } admin ? Trimmed(admin) : null);
            json.WriteNumber("grpcPort", fake.GrpcAddress.Port);
            json.WriteNumber("restPort", fake.RestAddress.Port);
            if (fake.AdminAddress is { } adminAddress)
            {
                json.WriteNumber("adminPort", adminAddress.Port);
            }

            json.WriteString("grpcMode", mode);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteStartObject("env");
            json.WriteString("VAULT_FAKE_GRPC", fake.GrpcAddress.Authority);
            json.WriteString("VAULT_FAKE_REST", Trimmed(fake.RestAddress));
            if (fake.RestHttp2Address is { } restH2c)
            {
                json.WriteString("VAULT_FAKE_REST_H2C", Trimmed(restH2c));
            }

            if (fake.AdminAddress is { } adminUrl)
            {
                json.WriteString("VAULT_FAKE_ADMIN", Trimmed(adminUrl));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task WriteTextAsync(TextWriter output, FakeOperationsServer fake, string mode, int seeded)
    {
        await output.WriteLineAsync($"grpc {fake.GrpcAddress} mode={mode}");
        await output.WriteLineAsync($"rest {fake.RestAddress}");
        if (fake.RestHttp2Address is { } h2c)
        {
            await output.WriteLineAsync($"rest-h2c {h2c}");
        }

        if (fake.AdminAddress is { } admin)
        {
            await output.WriteLineAsync($"admin {admin}");
        }

        await output.WriteLineAsync($"seeded {seeded} running operations");
        await output.WriteLineAsync("ready; Ctrl-C to stop");
    }

    /// <summary>Written beside the target, then renamed over it, so a harness polling for the file never reads half a line.</summary>
    private static void WriteReadyFile(string path, string line)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(temporary, line + "\n");
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--ready-file: cannot write {path}: {e.Message}");
        }
    }

    /// <summary>The library's option names in a problem it reports, replaced by the flags that set them.</summary>
    internal static string InTermsOfFlags(string problem)
    {
        (string Property, string Flag)[] flags =
        [
            ("GrpcPort", "--grpc-port"), ("RestHttp2Port", "--rest-h2c-port"), ("RestPort", "--rest-port"), ("AdminPort", "--admin-port"),
            ("SeedRunningOperations", "--seed-ops"), ("JournalCapacity", "--journal-capacity"), ("RequiredBearerToken", "--require-token"),
            ("Invalid FakeServerOptions: ", string.Empty),
        ];
        foreach ((string property, string flag) in flags)
        {
            problem = System.Text.RegularExpressions.Regex.Replace(problem, $@"\b{System.Text.RegularExpressions.Regex.Escape(property)}", flag);
        }

        return problem.Replace(" (Parameter 'options')", string.Empty, StringComparison.Ordinal);
    }

    private static string Trimmed(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
