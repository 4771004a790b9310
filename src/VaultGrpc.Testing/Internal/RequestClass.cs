namespace VaultGrpc.Testing.Internal;

/// <summary>What a request is, as <see cref="RequestClassifier"/> tells before routing.</summary>
/// <param name="Transport">gRPC (by content type) or REST.</param>
/// <param name="Method">The Operations RPC, or null when the request names none.</param>
/// <param name="Name">For REST, the operation name as the path carries it (decoded); null otherwise.</param>
/// <param name="GrpcService">For gRPC, the service the path names (empty when the path names none); null for REST.</param>
internal readonly record struct RequestClass(Transport Transport, OperationsMethod? Method, string? Name, string? GrpcService)
{
    /// <summary>A gRPC call to <c>google.longrunning.Operations</c>.</summary>
    public bool IsOperationsGrpc => GrpcService == RequestClassifier.OperationsService;
}
