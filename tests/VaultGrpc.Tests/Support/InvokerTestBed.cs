using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Internal;

namespace VaultGrpc.Tests.Support;

/// <summary>
/// What the tests of the fallback policy, retries and waiting share: a fake clock and two scripted
/// transports, and an invoker over them whose options the test may adjust.
/// </summary>
public abstract class InvokerTestBed
{
    private protected FakeTimeProvider Time { get; } = FakeTime.Create();

    private protected ScriptedTransport GrpcSide { get; } = new(Transport.Grpc);

    private protected ScriptedTransport RestSide { get; } = new(Transport.Rest);

    private protected OperationsInvoker CreateInvoker(Action<VaultOperationsClientOptions>? configure = null)
    {
        var options = new VaultOperationsClientOptions { Credentials = VaultCredentials.None, TimeProvider = Time };
        configure?.Invoke(options);
        return new OperationsInvoker(options, GrpcSide, RestSide);
    }
}
