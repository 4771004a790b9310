namespace VaultGrpc.Testing;

/// <summary>The five RPCs of <c>google.longrunning.Operations</c>, as the fake's journal and fault scripts name them.</summary>
public enum OperationsMethod
{
    /// <summary><c>ListOperations</c>.</summary>
    List,

    /// <summary><c>GetOperation</c>.</summary>
    Get,

    /// <summary><c>DeleteOperation</c>.</summary>
    Delete,

    /// <summary><c>CancelOperation</c>.</summary>
    Cancel,

    /// <summary><c>WaitOperation</c> (gRPC only: Vault publishes no REST route for it).</summary>
    Wait,
}
