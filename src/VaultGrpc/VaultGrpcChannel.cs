using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls;

namespace VaultGrpc;

/// <summary>
/// Builds the gRPC channel the client itself uses, for your own stubs and for
/// <see cref="Invokers.Fallback.FallbackCallInvoker"/>: the connection budget
/// (<see cref="VaultOperationsClientOptions.GrpcConnectBudget"/>), the request message held until the
/// server acknowledges HTTP/2 settings (the proof of non-delivery that lets even a method unsafe to
/// repeat move to REST), no redirects, proxies honoured, credentials and redacted logging.
/// </summary>
public static class VaultGrpcChannel
{
    /// <summary>
    /// A channel to <see cref="VaultOperationsClientOptions.Endpoint"/> with the options' credentials,
    /// budget, keep-alive, handler and logging. The options are validated (every problem at once) and
    /// copied. Dispose the channel when done.
    /// </summary>
    /// <param name="options">The settings; the REST, retry and wait settings are not used here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static GrpcChannel Create(VaultOperationsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        VaultOperationsClientOptions frozen = options.Clone();
        frozen.Validate();
        return GrpcChannelFactory.Create(frozen, new AccessTokenSource(frozen.Credentials)).Channel;
    }
}
