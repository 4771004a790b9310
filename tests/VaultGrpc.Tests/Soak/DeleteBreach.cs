namespace VaultGrpc.Tests.Soak;

/// <summary>One operation name whose Deletes broke the promise.</summary>
/// <param name="Name">The operation name.</param>
/// <param name="Cause">How: acted on more than once, or sent again after which kind of attempt.</param>
/// <param name="Journal">Its Delete entries, in order.</param>
internal sealed record DeleteBreach(string? Name, string Cause, string Journal)
{
    public override string ToString() => $"{Name}: {Cause}: {Journal}";
}
