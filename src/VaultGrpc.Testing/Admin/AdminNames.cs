using System.Globalization;
using Grpc.Core;

namespace VaultGrpc.Testing.Admin;

/// <summary>
/// The admin API's words for the library's enums: lower-case, hyphenated (<c>gateway-503</c>, <c>bare-status</c>),
/// parsed case-insensitively. vault-ops fake-server's flags use the same words.
/// </summary>
internal static class AdminNames
{
    public static readonly IReadOnlyDictionary<string, GrpcServingMode> Modes = new Dictionary<string, GrpcServingMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["serve"] = GrpcServingMode.Serve,
        ["unimplemented"] = GrpcServingMode.Unimplemented,
        ["not-listening"] = GrpcServingMode.NotListening,
        ["http1-only"] = GrpcServingMode.Http1Only,
        ["gateway-503"] = GrpcServingMode.Gateway503,
        ["html-login-page"] = GrpcServingMode.HtmlLoginPage,
    };

    public static readonly IReadOnlyDictionary<string, OperationsMethod> Methods = new Dictionary<string, OperationsMethod>(StringComparer.OrdinalIgnoreCase)
    {
        ["list"] = OperationsMethod.List,
        ["get"] = OperationsMethod.Get,
        ["delete"] = OperationsMethod.Delete,
        ["cancel"] = OperationsMethod.Cancel,
        ["wait"] = OperationsMethod.Wait,
    };

    public static readonly IReadOnlyDictionary<string, Transport> Transports = new Dictionary<string, Transport>(StringComparer.OrdinalIgnoreCase)
    {
        ["grpc"] = Transport.Grpc,
        ["rest"] = Transport.Rest,
    };

    public static readonly IReadOnlyDictionary<string, RestErrorShape> ErrorShapes = new Dictionary<string, RestErrorShape>(StringComparer.OrdinalIgnoreCase)
    {
        ["aip193"] = RestErrorShape.Aip193,
        ["bare-status"] = RestErrorShape.BareStatus,
    };

    public static readonly IReadOnlyDictionary<string, RestBodyKind> BodyKinds = new Dictionary<string, RestBodyKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["malformed"] = RestBodyKind.Malformed,
        ["empty"] = RestBodyKind.Empty,
        ["truncated"] = RestBodyKind.Truncated,
        ["html"] = RestBodyKind.Html,
    };

    public static readonly IReadOnlyDictionary<string, FaultKind> FaultKinds = new Dictionary<string, FaultKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = FaultKind.Status,
        ["latency"] = FaultKind.Latency,
        ["reset-stream"] = FaultKind.ResetStream,
        ["abort-connection"] = FaultKind.AbortConnection,
        ["rest-body"] = FaultKind.RestBody,
        ["too-many-requests"] = FaultKind.TooManyRequests,
        ["hang"] = FaultKind.Hang,
    };

    public static readonly IReadOnlyDictionary<string, RequestBodyShape> BodyShapes = new Dictionary<string, RequestBodyShape>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = RequestBodyShape.None,
        ["empty-object"] = RequestBodyShape.EmptyObject,
        ["fields"] = RequestBodyShape.Fields,
        ["other"] = RequestBodyShape.Other,
    };

    /// <summary>The admin word for <paramref name="value"/>.</summary>
    public static string NameOf<T>(IReadOnlyDictionary<string, T> words, T value)
        where T : struct, Enum
        => words.First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;

    /// <summary>Looks <paramref name="word"/> up; the error names the field and every accepted word.</summary>
    public static T Parse<T>(IReadOnlyDictionary<string, T> words, string field, string? word)
        where T : struct, Enum
        => word is not null && words.TryGetValue(word, out T value)
            ? value
            : throw new AdminInputException(field, $"{field}: expected one of {string.Join(", ", words.Keys)} (got {Quote(word)}).");

    /// <summary>A gRPC code from its canonical name (<c>NOT_FOUND</c>), its C# name (<c>NotFound</c>) or its number.</summary>
    public static StatusCode ParseCode(string field, string word)
    {
        if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 0 and <= 16)
        {
            return (StatusCode)number;
        }

        string squashed = word.Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (StatusCode code in Enum.GetValues<StatusCode>())
        {
            if (string.Equals(code.ToString(), squashed, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        throw new AdminInputException(field, $"{field}: expected a gRPC status code such as UNAVAILABLE, NOT_FOUND or 14 (got {Quote(word)}).");
    }

    public static string Quote(string? word) => word is null ? "nothing" : $"'{word}'";
}
