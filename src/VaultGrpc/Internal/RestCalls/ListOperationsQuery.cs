using System.Globalization;
using System.Text;
using VaultGrpc.Internal.Naming;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>The REST path and query of a ListOperations request, with proto3 JSON parameter names.</summary>
internal static class ListOperationsQuery
{
    /// <summary><c>/v1/operations</c> and only the parameters that differ from their defaults, values escaped.</summary>
    /// <exception cref="ArgumentException">The request names a collection other than <c>operations</c>.</exception>
    public static string ToPathAndQuery(ListOperationsRequest request)
    {
        if (request.Name.Length > 0 && request.Name != OperationNameRules.Collection)
        {
            throw new ArgumentException($"ListOperations is served on '{OperationNameRules.Collection}' only, not on '{request.Name}'.", nameof(request));
        }

        var query = new StringBuilder("/v1/").Append(OperationNameRules.Collection);
        char separator = '?';
        void Add(string name, string value)
        {
            query.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        if (request.Filter.Length > 0)
        {
            Add("filter", request.Filter);
        }

        if (request.PageSize != 0)
        {
            Add("pageSize", request.PageSize.ToString(CultureInfo.InvariantCulture));
        }

        if (request.PageToken.Length > 0)
        {
            Add("pageToken", request.PageToken);
        }

        if (request.ReturnPartialSuccess)
        {
            Add("returnPartialSuccess", "true");
        }

        return query.ToString();
    }
}
