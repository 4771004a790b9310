using VaultGrpc.Cli.Commands;
using VaultGrpc.Testing.Admin;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// fake-server's flags and the admin API name modes, error shapes and RPCs with the same words
/// (README says so); the two lists live in two assemblies, so this keeps them from drifting apart.
/// </summary>
public sealed class FakeServerWordsTests
{
    [Fact]
    public void GrpcModeFlag_EveryAdminWord_SelectsTheSameMode()
    {
        Assert.All(AdminNames.Modes, word => Assert.Equal(word.Value, FakeServerCommand.Modes[word.Key]));
        // The flag's extra words are aliases of modes the admin API also names.
        Assert.All(FakeServerCommand.Modes.Keys.Except(AdminNames.Modes.Keys), alias => Assert.Contains(FakeServerCommand.Modes[alias], AdminNames.Modes.Values));
    }

    [Fact]
    public void ErrorShapeAndMethodFlags_SameWordsAsTheAdminApi()
    {
        Assert.Equal(AdminNames.ErrorShapes.OrderBy(w => w.Key), FakeServerCommand.ErrorShapes.OrderBy(w => w.Key));
        Assert.Equal(AdminNames.Methods.OrderBy(w => w.Key), FakeServerCommand.Methods.OrderBy(w => w.Key));
    }
}
