using System.Text;
using Grpc.Core;

namespace VaultGrpc.Cli.Output;

/// <summary>Canonical gRPC status code names as Google's APIs spell them: <c>NOT_FOUND</c>, <c>DEADLINE_EXCEEDED</c>.</summary>
internal static class StatusCodeNames
{
    /// <summary>The canonical name of <paramref name="code"/>.</summary>
    public static string Of(StatusCode code)
    {
        string pascal = Enum.IsDefined(code) ? code.ToString() : "Unknown";
        var name = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && char.IsLower(pascal[i - 1]))
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(pascal[i]));
        }

        return name.ToString();
    }
}
