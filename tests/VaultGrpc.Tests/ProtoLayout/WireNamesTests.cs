using Google.Protobuf;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.ProtoLayout;

/// <summary>
/// The .NET namespace is ours (VaultGrpc.LongRunning); what peers see is still googleapis': the proto
/// package, the gRPC method paths, the Any type URLs and the JSON names.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class WireNamesTests
{
    [Fact]
    public void Descriptors_AfterNamespaceChange_KeepGoogleLongRunningNames()
    {
        string[] names =
        [
            Operation.Descriptor.FullName,
            ListOperationsResponse.Descriptor.FullName,
            Operations.Descriptor.FullName,
            Operations.Descriptor.FindMethodByName("GetOperation").FullName,
        ];

        Assert.Equal(
            ["google.longrunning.Operation", "google.longrunning.ListOperationsResponse", "google.longrunning.Operations", "google.longrunning.Operations.GetOperation"],
            names);
    }

    [Fact]
    public void Json_ListOperationsResponse_GoogleApisFieldNames()
    {
        var page = new ListOperationsResponse { NextPageToken = "t", Operations = { new Operation { Name = "operations/a", Done = true } } };

        string json = JsonFormatter.Default.Format(page);

        Assert.Equal("""{ "operations": [ { "name": "operations/a", "done": true } ], "nextPageToken": "t" }""", json);
    }

    [Fact]
    public void AnyPack_Operation_GoogleLongRunningTypeUrl()
    {
        var packed = Google.Protobuf.WellKnownTypes.Any.Pack(new Operation { Name = "operations/a" });

        Assert.Equal("type.googleapis.com/google.longrunning.Operation", packed.TypeUrl);
    }
}
