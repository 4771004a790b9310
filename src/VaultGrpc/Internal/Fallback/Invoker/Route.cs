namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>One call's route: where it goes, the finding that sent it there, and its probe lease if it probes.</summary>
internal readonly record struct Route(RouteKind Kind, StickyFinding? Finding, GrpcProbeLease? Lease);
