using System.CommandLine;
using System.Globalization;
using VaultGrpc.Cli.Auth;
using VaultGrpc.Cli.Logging;
using VaultGrpc.Cli.Output;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli.Commands;

/// <summary>The options every RPC command takes, and their validation into <see cref="RpcSettings"/>.</summary>
internal sealed class RpcOptions
{
    /// <summary>Default of <c>--concurrency</c>.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Largest <c>--concurrency</c> accepted.</summary>
    public const int MaxConcurrency = 1024;

    private readonly Option<string> _endpoint = new("--endpoint")
    {
        Description = "gRPC endpoint URL; http:// on loopback means plaintext h2c",
        DefaultValueFactory = _ => VaultOperationsClientOptions.DefaultEndpoint.ToString(),
        HelpName = "URL",
    };

    private readonly Option<string?> _restEndpoint = new("--rest-endpoint")
    {
        Description = "REST endpoint URL [default: the --endpoint]",
        HelpName = "URL",
    };

    private readonly Option<string> _transport = new("--transport")
    {
        Description = "auto: gRPC first, REST when gRPC cannot serve; grpc or rest: only that one",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<string?> _accessToken = new("--access-token")
    {
        Description = $"OAuth access token [default: ${CredentialChoice.AccessTokenVariable}, else Application Default Credentials]",
        HelpName = "TOKEN",
    };

    private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Send no credentials (local fakes)" };

    private readonly Option<bool> _allowInsecure = new("--allow-insecure")
    {
        Description = "Allow credentials over plaintext http:// to a host that is not loopback",
    };

    private readonly Option<double?> _timeout = NumberOption.Seconds(
        "--timeout",
        $"Time of each call in seconds, retries included [default: {new VaultOperationsClientOptions().DefaultTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}]");

    private readonly Option<int> _concurrency = NumberOption.WholeNumber("--concurrency", "Most calls in flight at once when given many names", DefaultConcurrency);

    private readonly Option<string> _output = new("--output")
    {
        Description = "text for people, json for one JSON object a line",
        DefaultValueFactory = _ => "text",
    };

    private readonly Option<bool> _verbose = new("--verbose")
    {
        Description = "Print the client's logs (fallbacks, retries) on standard error, one line each",
    };

    private readonly bool _takesConcurrency;

    /// <summary>The options of an RPC command.</summary>
    /// <param name="takesConcurrency">Whether the command makes many calls (cancel, delete) and so takes <c>--concurrency</c>.</param>
    public RpcOptions(bool takesConcurrency = false)
    {
        _takesConcurrency = takesConcurrency;
        _transport.AcceptOnlyFromAmong("auto", "grpc", "rest");
        _output.AcceptOnlyFromAmong("text", "json");
    }

    /// <summary>Adds every common option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(_endpoint);
        command.Add(_restEndpoint);
        command.Add(_transport);
        command.Add(_accessToken);
        command.Add(_noAuth);
        command.Add(_allowInsecure);
        command.Add(_timeout);
        if (_takesConcurrency)
        {
            command.Add(_concurrency);
        }

        command.Add(_output);
        command.Add(_verbose);
    }

    /// <summary>The output format alone, for reporting problems found before the settings are complete.</summary>
    public OutputFormat FormatOf(ParseResult parse) => parse.GetValue(_output) == "json" ? OutputFormat.Json : OutputFormat.Text;

    /// <summary>Validates the options (all problems at once) and resolves the credentials.</summary>
    /// <exception cref="UsageException">An option is invalid; nothing has been sent.</exception>
    public async Task<RpcSettings> BindAsync(ParseResult parse, CliHost host, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        Uri? endpoint = ParseEndpoint(parse.GetValue(_endpoint), "--endpoint", problems);
        string? restText = parse.GetValue(_restEndpoint);
        Uri? restEndpoint = restText is null ? null : ParseEndpoint(restText, "--rest-endpoint", problems);

        TimeSpan? timeout = null;
        if (parse.GetValue(_timeout) is { } seconds)
        {
            if (!double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                problems.Add($"--timeout must be a positive number of seconds (was {seconds.ToString(CultureInfo.InvariantCulture)}).");
            }
            else
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
        }

        // One call at a time where the command makes one call at a time (get, list, wait).
        int concurrency = _takesConcurrency ? parse.GetValue(_concurrency) : 1;
        if (concurrency is < 1 or > MaxConcurrency)
        {
            problems.Add($"--concurrency must be between 1 and {MaxConcurrency} (was {concurrency}).");
        }

        bool noAuth = parse.GetValue(_noAuth);
        if (!noAuth && !parse.GetValue(_allowInsecure))
        {
            CheckPlaintext(endpoint, "--endpoint", problems);
            CheckPlaintext(restEndpoint, "--rest-endpoint", problems);
        }

        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, problems));
        }

        (VaultCredentials credentials, string? secret) = await CredentialChoice.ChooseAsync(
            noAuth, parse.GetValue(_accessToken), host.GetEnvironmentVariable, cancellationToken);

        var options = new VaultOperationsClientOptions
        {
            Endpoint = endpoint!,
            RestEndpoint = restEndpoint,
            TransportMode = parse.GetValue(_transport) switch
            {
                "grpc" => TransportMode.GrpcOnly,
                "rest" => TransportMode.RestOnly,
                _ => TransportMode.Auto,
            },
            Credentials = credentials,
            AllowInsecureCredentials = parse.GetValue(_allowInsecure),
            ApiClientSuffix = "vault-ops",
        };
        var redactor = new SecretRedactor([secret]);
        if (parse.GetValue(_verbose))
        {
            options.LoggerFactory = new TerminalLoggerFactory(host.Error, redactor);
        }

        if (timeout is { } perCall)
        {
            options.DefaultTimeout = perCall;
        }

        IReadOnlyList<string> optionProblems = options.GetValidationErrors();
        if (optionProblems.Count > 0)
        {
            // A backstop for a rule the checks above do not know yet: worded with the flags, not the properties.
            throw new UsageException(string.Join(Environment.NewLine, optionProblems.Select(LibraryWording.InTermsOfFlags)));
        }

        return new RpcSettings(options, FormatOf(parse), concurrency, redactor);
    }

    private static Uri? ParseEndpoint(string? text, string option, List<string> problems)
    {
        if (text is null
            || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            // Masked: the text may carry user information (user:password@) even when it does not parse.
            problems.Add($"{option} '{VaultSafeText.MaskEndpoint(text)}' is not an absolute http:// or https:// URL.");
            return null;
        }

        // The library's own checks, said here in terms of the flag (the library names its option properties).
        string shown = VaultSafeText.MaskEndpoint(uri);
        if (uri.UserInfo.Length > 0)
        {
            problems.Add($"{option} '{shown}' must not contain user:password@ (it would not be used, and could be printed); give a token with --access-token.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problems.Add($"{option} '{shown}' must have no path, query or fragment: vault-ops adds /v1/….");
        }

        return uri;
    }

    /// <summary>Credentials must not go in clear text to another machine unless the user says so.</summary>
    private static void CheckPlaintext(Uri? endpoint, string option, List<string> problems)
    {
        if (endpoint is not null && endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
        {
            problems.Add($"{option} '{VaultSafeText.MaskEndpoint(endpoint)}' is plaintext http:// to a host that is not loopback: credentials would be readable on the way; use https://, --no-auth, or --allow-insecure.");
        }
    }
}
