using System.Reflection;

namespace VaultGrpc.Tests.Trimming;

/// <summary>
/// VaultGrpc declares itself trimmable and AOT-compatible (IsAotCompatible in its project), which is what
/// makes the trimmer analyse it in users' apps and the analyzers fail our build on any IL2xxx/IL3xxx
/// warning. The SDK records the declaration as assembly metadata; dropping it fails here.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class AotCompatibilityDeclarationTests
{
    [Fact]
    public void VaultGrpcAssembly_Metadata_DeclaresIsTrimmable()
    {
        // Arrange
        Assembly library = typeof(VaultOperationsClient).Assembly;

        // Act
        string? trimmable = library.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "IsTrimmable")?.Value;

        // Assert
        Assert.Equal("True", trimmable);
    }
}
