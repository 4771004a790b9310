namespace VaultGrpc;

/// <summary>The wire a call went over.</summary>
public enum Transport
{
    /// <summary>gRPC over HTTP/2, through the generated Operations stub.</summary>
    Grpc = 0,

    /// <summary>The REST route transcoded from the proto's <c>google.api.http</c> annotation.</summary>
    Rest = 1,
}
