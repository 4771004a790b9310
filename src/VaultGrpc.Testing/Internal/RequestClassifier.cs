using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Internal;

/// <summary>Which transport and RPC a request is, from its path alone, so even unrouted requests are journaled.</summary>
internal static class RequestClassifier
{
    public const string GrpcPrefix = "/google.longrunning.Operations/";
    private const string RestPrefix = "/v1/";
    private const string CancelVerb = ":cancel";

    /// <summary>The transport, the RPC (null when none matches) and, for REST, the name as the path carries it (decoded).</summary>
    public static (Transport Transport, OperationsMethod? Method, string? Name) Classify(HttpRequest request)
    {
        string path = request.Path.Value ?? string.Empty;
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
            return (Transport.Grpc, method, null);
        }

        if (!path.StartsWith(RestPrefix, StringComparison.Ordinal))
        {
            return (Transport.Rest, null, null);
        }

        string rest = path[RestPrefix.Length..];
        if (rest == "operations")
        {
            return HttpMethods.IsGet(request.Method) ? (Transport.Rest, OperationsMethod.List, rest) : (Transport.Rest, null, rest);
        }

        if (!rest.StartsWith("operations/", StringComparison.Ordinal))
        {
            return (Transport.Rest, null, null);
        }

        if (HttpMethods.IsPost(request.Method) && rest.EndsWith(CancelVerb, StringComparison.Ordinal))
        {
            return (Transport.Rest, OperationsMethod.Cancel, rest[..^CancelVerb.Length]);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            return (Transport.Rest, OperationsMethod.Get, rest);
        }

        return HttpMethods.IsDelete(request.Method) ? (Transport.Rest, OperationsMethod.Delete, rest) : (Transport.Rest, null, rest);
    }
}
