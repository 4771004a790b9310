using Microsoft.Extensions.Hosting;

namespace VaultGrpc.Testing.Internal;

/// <summary>A host lifetime that hooks no console signals: the test or the CLI decides when the fake stops.</summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
