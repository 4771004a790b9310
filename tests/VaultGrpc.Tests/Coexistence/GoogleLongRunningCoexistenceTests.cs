// Google's namespace imported as code built on Google.Cloud libraries imports it: the simple names
// Operation and Operations below are the stand-in's (Google's), and VaultGrpc's are written in full.
// Before VaultGrpc had a namespace of its own, this file did not compile: CS0433, the same full
// names in two assemblies. No extern alias is needed now.
using Google.LongRunning;
using Grpc.Net.Client;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Coexistence;

/// <summary>VaultGrpc beside an assembly that owns Google's <c>Google.LongRunning</c> type names.</summary>
[Trait("Category", "Reliability")]
public sealed class GoogleLongRunningCoexistenceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_BesideGoogleLongRunningTypes_BothCompileAndRunInOneFile()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/vault-1");
        await using VaultOperationsClient vault = VaultOperationsClient.Create(fake.CreateClientOptions());
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var vaultStub = new VaultGrpc.LongRunning.Operations.OperationsClient(channel);
        var googleStub = new Operations.OperationsClient();

        VaultResponse<VaultGrpc.LongRunning.Operation> fromFacade = await vault.GetAsync("operations/vault-1").WaitAsync(Bound);
        VaultGrpc.LongRunning.Operation fromStub = await vaultStub.GetOperationAsync(
            new VaultGrpc.LongRunning.GetOperationRequest { Name = "operations/vault-1" }).ResponseAsync.WaitAsync(Bound);
        Operation fromGoogle = googleStub.GetOperation("operations/google-1");

        Assert.Equal(("operations/vault-1", false), (fromFacade.Value.Name, fromFacade.Value.Done));
        Assert.Equal(fromFacade.Value, fromStub);
        Assert.Equal("operations/google-1", fromGoogle.Name);
        Assert.Equal("GoogleLongRunningStandIn", typeof(Operation).Assembly.GetName().Name);
        Assert.Equal("GoogleLongRunningStandIn", typeof(Operations.OperationsClient).Assembly.GetName().Name);
    }

    [Theory]
    [InlineData(typeof(VaultOperationsClient))]
    [InlineData(typeof(FakeOperationsServer))]
    public void ExportedTypes_VaultAssemblies_NoneInAGoogleNamespace(Type fromAssembly)
    {
        var assembly = fromAssembly.Assembly;

        string[] inGoogle = assembly.GetExportedTypes()
            .Select(t => t.FullName!)
            .Where(n => n.StartsWith("Google.", StringComparison.Ordinal))
            .ToArray();

        Assert.Empty(inGoogle);
    }

    [Fact]
    public void Types_VaultAssemblies_NoFullNameOfTheStandIn()
    {
        var standIn = typeof(Operation).Assembly.GetTypes().Select(t => t.FullName!).ToHashSet();

        string[] clashes = new[] { typeof(VaultOperationsClient).Assembly, typeof(FakeOperationsServer).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => t.FullName!)
            .Where(standIn.Contains)
            .ToArray();

        Assert.Empty(clashes);
    }
}
