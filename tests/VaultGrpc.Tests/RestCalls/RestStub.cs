using Grpc.Core;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// The generated Operations stub over a <see cref="RestCallInvoker"/> set up as a RestOnly client
/// sets it up (the Operations service, the built-in Any types, the client's credentials, handler
/// and clock), with one-line calls for the tests.
/// </summary>
internal sealed class RestStub : IDisposable
{
    private readonly RestCallInvoker _invoker;

    private RestStub(RestCallInvoker invoker)
    {
        _invoker = invoker;
        Client = new Operations.OperationsClient(invoker);
    }

    public Operations.OperationsClient Client { get; }

    /// <summary>Through <paramref name="handler"/> (left undisposed, as the client leaves a caller's handler).</summary>
    public static RestStub Over(
        HttpMessageHandler handler,
        Uri? baseAddress = null,
        VaultCredentials? credentials = null,
        TimeProvider? timeProvider = null) =>
        Create(handler, baseAddress ?? new Uri("http://127.0.0.1:1"), credentials, timeProvider);

    /// <summary>Through the invoker's own handler (no redirects followed), as a client without a RestHttpHandler.</summary>
    public static RestStub ToServer(Uri baseAddress, VaultCredentials? credentials = null, TimeProvider? timeProvider = null) =>
        Create(null, baseAddress, credentials, timeProvider);

    public Task CancelAsync(string name, CallOptions options = default) =>
        Client.CancelOperationAsync(new CancelOperationRequest { Name = name }, options).ResponseAsync;

    public Task<Operation> GetAsync(string name, CallOptions options = default) =>
        Client.GetOperationAsync(new GetOperationRequest { Name = name }, options).ResponseAsync;

    public Task DeleteAsync(string name, CallOptions options = default) =>
        Client.DeleteOperationAsync(new DeleteOperationRequest { Name = name }, options).ResponseAsync;

    public Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallOptions options = default) =>
        Client.ListOperationsAsync(request, options).ResponseAsync;

    public void Dispose() => _invoker.Dispose();

    private static RestStub Create(HttpMessageHandler? handler, Uri baseAddress, VaultCredentials? credentials, TimeProvider? timeProvider)
    {
        var options = new RestCallInvokerOptions
        {
            Credentials = credentials ?? VaultCredentials.None,
            TypeRegistry = KnownTypes.Registry,
            HttpHandler = handler,
            TimeProvider = timeProvider ?? TimeProvider.System,
        };
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        return new RestStub(new RestCallInvoker(baseAddress, options));
    }
}
