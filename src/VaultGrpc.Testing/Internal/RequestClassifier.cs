using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// Which transport and RPC a request is, before routing, so even unrouted requests are journaled. gRPC is told
/// by its content type (<c>application/grpc</c>, as gRPC servers do), not by its path: a gRPC call to another
/// service is still gRPC and must be answered as gRPC.
/// </summary>
internal static class RequestClassifier
{
    public const string OperationsService = "google.longrunning.Operations";
    public const string GrpcPrefix = "/" + OperationsService + "/";
    private const string GrpcContentType = "application/grpc";
    private const string RestPrefix = "/v1/";
    private const string CancelVerb = ":cancel";

    /// <summary>What the request is; for REST, the name is as the path carries it (decoded).</summary>
    public static RequestClass Classify(HttpRequest request)
    {
        string path = request.Path.Value ?? string.Empty;
        return IsGrpc(request.ContentType) ? ClassifyGrpc(path) : ClassifyRest(request.Method, path);
    }

    /// <summary>
    /// <c>application/grpc</c>, alone or with a subtype (<c>application/grpc+proto</c>) or parameters; not
    /// <c>application/grpc-web</c>, which the fake does not serve.
    /// </summary>
    public static bool IsGrpc(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == GrpcContentType.Length || contentType[GrpcContentType.Length] is '+' or ';';
    }

    private static RequestClass ClassifyGrpc(string path)
    {
        if (path.StartsWith(GrpcPrefix, StringComparison.Ordinal))
        {
            OperationsMethod? method = path[GrpcPrefix.Length..] switch
            {
                "ListOperations" => OperationsMethod.List,
                "GetOperation" => OperationsMethod.Get,
                "DeleteOperation" => OperationsMethod.Delete,
                "CancelOperation" => OperationsMethod.Cancel,
                "WaitOperation" => OperationsMethod.Wait,
                _ => null,
            };
            return new RequestClass(Transport.Grpc, method, null, OperationsService);
        }

        // "/package.Service/Method": the service is the first segment.
        int end = path.IndexOf('/', 1);
        string service = end > 1 ? path[1..end] : string.Empty;
        return new RequestClass(Transport.Grpc, null, null, service);
    }

    private static RequestClass ClassifyRest(string httpMethod, string path)
    {
        if (!path.StartsWith(RestPrefix, StringComparison.Ordinal))
        {
            return new RequestClass(Transport.Rest, null, null, null);
        }

        string rest = path[RestPrefix.Length..];
        if (rest == "operations")
        {
            return new RequestClass(Transport.Rest, HttpMethods.IsGet(httpMethod) ? OperationsMethod.List : null, rest, null);
        }

        if (!rest.StartsWith("operations/", StringComparison.Ordinal))
        {
            return new RequestClass(Transport.Rest, null, null, null);
        }

        if (HttpMethods.IsPost(httpMethod) && rest.EndsWith(CancelVerb, StringComparison.Ordinal))
        {
            return new RequestClass(Transport.Rest, OperationsMethod.Cancel, rest[..^CancelVerb.Length], null);
        }

        if (HttpMethods.IsGet(httpMethod))
        {
            return new RequestClass(Transport.Rest, OperationsMethod.Get, rest, null);
        }

        return new RequestClass(Transport.Rest, HttpMethods.IsDelete(httpMethod) ? OperationsMethod.Delete : null, rest, null);
    }
}
