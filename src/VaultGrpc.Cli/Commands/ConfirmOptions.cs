using System.CommandLine;
using System.Globalization;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli.Commands;

/// <summary><c>--confirm</c> and <c>--confirm-timeout</c> of <c>cancel</c>.</summary>
internal sealed class ConfirmOptions
{
    /// <summary>Default of <c>--confirm-timeout</c>: the library's own default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Option<bool> _confirm = new("--confirm")
    {
        Description = "After each cancel, watch the operation until it is done (or the confirm timeout) and report what became of it; exit codes 3-6 say which",
    };

    private readonly Option<double?> _timeout = NumberOption.Seconds(
        "--confirm-timeout",
        $"With --confirm: longest watch of each operation in seconds [default: {DefaultTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}]");

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_confirm);
        command.Options.Add(_timeout);
    }

    /// <summary>The confirm timeout when <c>--confirm</c> was given; null for a plain cancel.</summary>
    /// <exception cref="UsageException">--confirm-timeout without --confirm, or not a positive number of seconds.</exception>
    public TimeSpan? Bind(ParseResult parse)
    {
        double? seconds = parse.GetValue(_timeout);
        if (!parse.GetValue(_confirm))
        {
            return seconds is null ? null : throw new UsageException("--confirm-timeout needs --confirm.");
        }

        if (seconds is not { } given)
        {
            return DefaultTimeout;
        }

        if (!double.IsFinite(given) || given <= 0 || given > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"--confirm-timeout must be a positive number of seconds (was {given.ToString(CultureInfo.InvariantCulture)}).");
        }

        return TimeSpan.FromSeconds(given);
    }
}
