using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// JSON transcoding turns <c>get: "/v1/{name=operations}"</c> into the route <c>/v1/{name}</c>, and
/// <c>/v1/{name=operations/**}</c> into <c>/v1/operations/{**name}</c>, whose catch-all also matches zero
/// segments and outranks it: <c>GET /v1/operations</c> would reach GetOperation with the name
/// <c>operations/</c>. The fake picks the ListOperations endpoint for that path itself, before routing runs.
/// </summary>
internal sealed class RestListRoute(IReadOnlyList<EndpointDataSource> sources)
{
    private Endpoint? _endpoint;

    public void Select(HttpContext context)
    {
        Endpoint? endpoint = _endpoint ??= Find();
        if (endpoint is not null)
        {
            context.SetEndpoint(endpoint);
            context.Request.RouteValues["name"] = "operations";
        }
    }

    private Endpoint? Find()
        => sources.SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .FirstOrDefault(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Name == "ListOperations"
                && e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true);
}
