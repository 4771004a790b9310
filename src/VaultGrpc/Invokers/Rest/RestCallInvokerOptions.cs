using Google.Protobuf.Reflection;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// Settings of a <see cref="RestCallInvoker"/>. Mutable until the invoker is built; the invoker
/// validates them once and keeps a copy, so later changes do not affect it.
/// </summary>
public sealed class RestCallInvokerOptions
{
    /// <summary>
    /// The services whose methods the invoker serves (e.g. <c>MyReflection.Descriptor.Services[0]</c>);
    /// each method is routed by its <c>google.api.http</c> rule. At least one is required.
    /// </summary>
    public IList<ServiceDescriptor> Services { get; } = new List<ServiceDescriptor>();

    /// <summary>
    /// The credential whose bearer token goes on every request. Default <see cref="VaultCredentials.None"/>
    /// (nothing is sent). Credentials in <see cref="Grpc.Core.CallOptions.Credentials"/> are added per call too.
    /// </summary>
    public VaultCredentials Credentials { get; set; } = VaultCredentials.None;

    /// <summary>
    /// Allows credentials over plaintext (<c>http://</c>) to a host that is not loopback.
    /// Default false: such an invoker is refused when built, and a call carrying per-call
    /// credentials fails with <see cref="Grpc.Core.StatusCode.FailedPrecondition"/> before any I/O.
    /// </summary>
    public bool AllowInsecureCredentials { get; set; }

    /// <summary>
    /// The message types decoded inside an <c>Any</c> in answers (and in error details). Default
    /// null: google.longrunning, google.rpc status and error details, the well-known types, and
    /// every file the <see cref="Services"/> come from (with their imports). An <c>Any</c> of
    /// another type does not fail the call: it arrives packing a <c>google.protobuf.Struct</c>
    /// that holds its JSON, <c>@type</c> included.
    /// </summary>
    public TypeRegistry? TypeRegistry { get; set; }

    /// <summary>
    /// As <c>GrpcChannelOptions.ThrowOperationCanceledOnCancellation</c>: when true, a call whose
    /// token fires or whose deadline passes throws <see cref="OperationCanceledException"/>.
    /// Default false: <see cref="Grpc.Core.RpcException"/> with <see cref="Grpc.Core.StatusCode.Cancelled"/>
    /// or <see cref="Grpc.Core.StatusCode.DeadlineExceeded"/>, as a default gRPC channel does.
    /// </summary>
    public bool ThrowOperationCanceledOnCancellation { get; set; }

    /// <summary>
    /// The largest success body read, in bytes. Default 4 MiB (gRPC's default receive limit); a
    /// longer one fails the call with <see cref="Grpc.Core.StatusCode.ResourceExhausted"/>. Error
    /// bodies are read up to 64 KiB whatever this says.
    /// </summary>
    public int MaxResponseBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The handler requests go through when the invoker builds its own <see cref="HttpClient"/>
    /// (left to its owner on dispose). Default null: a handler that follows no redirects, keeps no
    /// cookies and renews pooled connections every 5 minutes. Unused when the caller passes an HttpClient.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The clock deadlines are measured on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
