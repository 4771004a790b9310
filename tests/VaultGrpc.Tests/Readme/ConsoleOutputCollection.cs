namespace VaultGrpc.Tests.Readme;

/// <summary>
/// README samples that write to the process's console, which their tests capture: they run one at a
/// time, so that one's output never lands in another's capture.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleOutputCollection
{
    public const string Name = "Console output";
}
