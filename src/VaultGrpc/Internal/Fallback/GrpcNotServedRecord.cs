namespace VaultGrpc.Internal.Fallback;

/// <summary>Why gRPC last could not serve: the classified reason and a token-free detail.</summary>
internal sealed record GrpcNotServedRecord(FallbackReason Reason, string Detail);
