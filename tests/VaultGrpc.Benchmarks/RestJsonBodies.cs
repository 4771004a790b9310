using System.Text;

namespace VaultGrpc.Benchmarks;

/// <summary>REST response bodies shaped like Vault's: an Operation with metadata and a response in <c>Any</c>s.</summary>
internal static class RestJsonBodies
{
    /// <summary>Every <c>Any</c> holds a type the client knows.</summary>
    public static string KnownOperation(int id) => """
        {"name":"operations/export-#ID#","done":true,
         "metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"google.ediscovery.v1.Export","metadataType":"google.ediscovery.v1.ExportMetadata"},
         "response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"id":"e#ID#","matterId":"m1","name":"Export #ID#","status":"COMPLETED","stats":{"exportedArtifactCount":"1200","totalArtifactCount":"1200","sizeInBytes":"52428800"}}}}
        """;

    /// <summary>The metadata is a Vault type the client does not know.</summary>
    public static string UnknownAnyOperation(int id) => """
        {"name":"operations/export-#ID#","done":true,
         "metadata":{"@type":"type.googleapis.com/google.ediscovery.v1.ExportMetadata","matterId":"m1","exportId":"e#ID#","requester":{"email":"a@example.com"}},
         "response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"id":"e#ID#","matterId":"m1","name":"Export #ID#","status":"COMPLETED","stats":{"exportedArtifactCount":"1200","totalArtifactCount":"1200","sizeInBytes":"52428800"}}}}
        """;

    /// <summary>A ListOperationsResponse page of <paramref name="count"/> known-type operations.</summary>
    public static string KnownPage(int count) => Page(count, KnownOperation);

    /// <summary>A ListOperationsResponse page of <paramref name="count"/> operations whose metadata is of an unknown type.</summary>
    public static string UnknownAnyPage(int count) => Page(count, UnknownAnyOperation);

    private static string Page(int count, Func<int, string> operation)
    {
        var page = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < count; i++)
        {
            page.Append(i == 0 ? "" : ",").Append(operation(i));
        }

        return page.Append("],\"nextPageToken\":\"next\"}").ToString();
    }
}
