using Grpc.Core;
using VaultGrpc;
using VaultGrpc.LongRunning;

// Usage: VaultGrpc.AotSample GRPC_URL REST_URL OPERATION_NAME [--adc]
// Gets the operation from a fake (vault-ops fake-server) over loopback and prints
// "name done transport fallback attempts" on one line. Without --adc it sends no credentials; with it,
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS), which goes through Google.Apis.Auth
// and its Newtonsoft.Json parsing, the part of the client whose packages are not trim-annotated.
// Exit codes: 0 the Get succeeded, 1 it failed with a status, 2 usage.
if (args.Length is < 3 or > 4 || (args.Length == 4 && args[3] != "--adc"))
{
    Console.Error.WriteLine("usage: VaultGrpc.AotSample GRPC_URL REST_URL OPERATION_NAME [--adc]");
    return 2;
}

var options = new VaultOperationsClientOptions
{
    Endpoint = new Uri(args[0]),
    RestEndpoint = new Uri(args[1]),
    Credentials = args.Length == 4 ? VaultCredentials.ApplicationDefault() : VaultCredentials.None,
};

await using VaultOperationsClient client = VaultOperationsClient.Create(options);
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
try
{
    VaultResponse<Operation> got = await client.GetAsync(args[2], cancellationToken: timeout.Token);
    Console.WriteLine($"{got.Value.Name} done={got.Value.Done} transport={got.Call.Transport} fallback={got.Call.Fallback} attempts={got.Call.Attempts}");
    return 0;
}
catch (RpcException ex)
{
    Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
    return 1;
}
