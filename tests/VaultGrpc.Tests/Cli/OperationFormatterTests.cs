using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using VaultGrpc.Cli.Output;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Cli;

public sealed class OperationFormatterTests
{
    [Fact]
    public void ToJson_KnownPayloads_FormatsThemAsProto3Json()
    {
        var operation = new Operation
        {
            Name = "operations/k",
            Metadata = Any.Pack(new Timestamp { Seconds = 0 }),
            Done = true,
            Error = new Google.Rpc.Status { Code = 1, Message = "cancelled", Details = { Any.Pack(new ErrorInfo { Reason = "R" }) } },
        };

        JsonElement json = JsonDocument.Parse(OperationFormatter.ToJson(operation)).RootElement;

        Assert.Equal("1970-01-01T00:00:00Z", json.GetProperty("metadata").GetProperty("value").GetString());
        Assert.Equal("R", json.GetProperty("error").GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public void ToJson_UnknownAnyTypes_KeepsThemAsBase64InsteadOfFailing()
    {
        var unknown = new Any { TypeUrl = "type.googleapis.com/google.privacy.dlp.v2.SomethingVaultOnly", Value = ByteString.CopyFromUtf8("raw") };
        var operation = new Operation
        {
            Name = "operations/u",
            Metadata = unknown,
            Done = true,
            Error = new Google.Rpc.Status { Code = 5, Message = "gone", Details = { unknown, Any.Pack(new ErrorInfo { Reason = "R" }) } },
        };

        JsonElement json = JsonDocument.Parse(OperationFormatter.ToJson(operation)).RootElement;

        Assert.Equal("operations/u", json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("done").GetBoolean());
        Assert.Equal(unknown.TypeUrl, json.GetProperty("metadata").GetProperty("@type").GetString());
        Assert.Equal(Convert.ToBase64String("raw"u8), json.GetProperty("metadata").GetProperty("value").GetString());
        Assert.Equal(5, json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(unknown.TypeUrl, json.GetProperty("error").GetProperty("details")[0].GetProperty("@type").GetString());
        Assert.Equal("R", json.GetProperty("error").GetProperty("details")[1].GetProperty("reason").GetString());
    }

    [Fact]
    public void ToJson_KnownTypeWithCorruptBytes_DoesNotThrow()
    {
        var corrupt = new Any { TypeUrl = "type.googleapis.com/google.rpc.ErrorInfo", Value = ByteString.CopyFrom(0xFF, 0xFF, 0xFF) };

        string line = OperationFormatter.ToJson(new Operation { Name = "operations/c", Response = corrupt, Done = true });

        Assert.Equal(corrupt.TypeUrl, JsonDocument.Parse(line).RootElement.GetProperty("response").GetProperty("@type").GetString());
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void ToJson_UnpairedSurrogateFromTheServer_StillValidJson()
    {
        // Google.Protobuf's formatter throws on it; a REST server can send "\ud800" in any string.
        var operation = new Operation { Name = "operations/s", Done = true, Error = new Google.Rpc.Status { Code = 2, Message = "bad \ud800 text" } };

        string line = OperationFormatter.ToJson(operation);

        JsonElement json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("operations/s", json.GetProperty("name").GetString());
        Assert.StartsWith("bad ", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToText_CancelledOperation_NamesTheCode()
    {
        string text = OperationFormatter.ToText(new Operation { Name = "operations/t", Done = true, Error = new Google.Rpc.Status { Code = 1, Message = "Operation cancelled." } });

        Assert.Equal("operations/t  done, error CANCELLED: Operation cancelled.", text);
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(Grpc.Core.StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(Grpc.Core.StatusCode.OK, "OK")]
    [InlineData(Grpc.Core.StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    [InlineData((Grpc.Core.StatusCode)99, "UNKNOWN")]
    public void StatusCodeNames_Of_GivesCanonicalName(Grpc.Core.StatusCode code, string expected)
    {
        Assert.Equal(expected, StatusCodeNames.Of(code));
    }
}
