using Grpc.Core;

namespace VaultGrpc.Internal.Fallback;

/// <summary>A short, token-free, one-line description of why gRPC could not serve.</summary>
internal static class FallbackDetail
{
    private const int MaxLength = 200;

    public static string Describe(RpcException error)
    {
        string text = $"{error.StatusCode}: {error.Status.Detail}";
        if (error.Status.DebugException is { } cause)
        {
            Exception root = cause;
            while (root.InnerException is not null)
            {
                root = root.InnerException;
            }

            text += $" ({root.GetType().Name}: {root.Message})";
        }

        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
    }
}
