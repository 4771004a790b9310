namespace VaultGrpc.Testing;

/// <summary>The JSON shape of REST error bodies.</summary>
public enum RestErrorShape
{
    /// <summary>Google's AIP-193 envelope: <c>{"error":{"code":404,"message":"…","status":"NOT_FOUND","details":[…]}}</c>.</summary>
    Aip193,

    /// <summary>The bare <c>google.rpc.Status</c> of ASP.NET transcoding and grpc-gateway: <c>{"code":5,"message":"…","details":[]}</c>.</summary>
    BareStatus,
}
