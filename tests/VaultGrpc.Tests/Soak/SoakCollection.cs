namespace VaultGrpc.Tests.Soak;

/// <summary>
/// The soak runs alone, after the parallel tests: its memory figures are of the whole process, and
/// another test's live objects (a fake, a large body) would blur them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "Soak";
}
