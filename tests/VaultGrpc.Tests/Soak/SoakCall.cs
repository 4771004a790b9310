using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>One call of the soak: its own operation name, the RPC, and whether the name exists (else NOT_FOUND).</summary>
internal sealed record SoakCall(int Index, string Name, OperationsMethod Method, bool Exists);
