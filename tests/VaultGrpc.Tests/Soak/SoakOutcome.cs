using Grpc.Core;

namespace VaultGrpc.Tests.Soak;

/// <summary>How one soak call ended, as its caller saw it.</summary>
/// <param name="Result">"OK", a status code's name, "Hang" (no outcome within the bound), or "Unexpected: type" for any other exception.</param>
/// <param name="Call">How it was served, when it succeeded.</param>
internal readonly record struct SoakOutcome(string Result, VaultCallInfo? Call)
{
    public const string Ok = "OK";
    public const string Hang = "Hang";

    public static SoakOutcome Served(VaultCallInfo call) => new(Ok, call);

    public static SoakOutcome Failed(StatusCode code) => new(code.ToString(), null);

    public static SoakOutcome Unexpected(Exception error) => new($"Unexpected: {error.GetType().Name}: {error.Message}", null);
}
