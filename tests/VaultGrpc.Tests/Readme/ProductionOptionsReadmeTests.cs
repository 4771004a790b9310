// README:production usings begin
using VaultGrpc;
// README:production usings end

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above are all the sample has.
namespace ReadmeSamples;

/// <summary>README's production options, compiled and validated; <see cref="VaultGrpc.Tests.Readme.ReadmeSyncTests"/> keeps the two identical.</summary>
public sealed class ProductionOptionsReadmeTests
{
    [Fact]
    public void ProductionOptions_AsInReadme_AreValid()
    {
        // README:production begin
        var options = new VaultOperationsClientOptions
        {
            // The defaults: https://vault.googleapis.com, gRPC first, Application Default
            // Credentials scoped to https://www.googleapis.com/auth/ediscovery (resolved on first use).
            Credentials = VaultCredentials.ApplicationDefault(),
            StickyRestWindow = TimeSpan.FromMinutes(5),
        };
        // README:production end

        Assert.Empty(options.GetValidationErrors());
    }
}
