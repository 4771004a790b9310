using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.Benchmarks.Protos;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>The operations the remote fake holds for the raw-call benchmarks, and the types in their <c>Any</c>s.</summary>
internal static class BenchOperations
{
    /// <summary>Running at start; after the first cancel it is done, and cancelling a done operation is a no-op.</summary>
    public const string CancelName = "operations/bench-cancel";

    /// <summary>A done export: metadata <see cref="ExportMetadata"/>, response <see cref="Export"/>.</summary>
    public const string GetName = "operations/bench-get";

    /// <summary>The Vault-shaped types packed in <see cref="GetName"/>'s <c>Any</c>s (one file).</summary>
    public static MessageDescriptor[] ExportTypes { get; } = [ExportMetadata.Descriptor, Export.Descriptor];

    /// <summary>What a hand-written client registers to read <see cref="GetName"/> with <c>JsonParser</c>.</summary>
    public static TypeRegistry Registry { get; } = TypeRegistry.FromFiles(OperationsReflection.Descriptor, BenchExportReflection.Descriptor);

    /// <summary>A done export operation of about 2 KB in protobuf (about 3 KB as JSON), the same on every run.</summary>
    public static Operation CreateExportOperation()
    {
        var created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
        var stats = new ExportStats { ExportedArtifactCount = 12_840, TotalArtifactCount = 12_840, SizeInBytes = 5_368_709_120 };
        var metadata = new ExportMetadata
        {
            MatterId = "c0a8f3e2-5b1d-4f7a-9e21-7d3b6a0c4e18",
            ExportId = "exportly-7d3b6a0c4e18-20261102",
            RequesterEmail = "legal.hold.admin@example.com",
            RequesterDisplayName = "Legal Hold Administrator",
            CreateTime = created,
            Query = new ExportQuery
            {
                Corpus = "MAIL",
                DataScope = "ALL_DATA",
                SearchMethod = "ACCOUNT",
                Terms = "(subject:\"quarterly forecast\" OR \"revenue recognition\") has:attachment -label:newsletters before:2026/10/01",
                StartTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
                EndTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)),
                TimeZone = "America/Los_Angeles",
            },
            Stats = stats,
            Status = "COMPLETED",
        };
        for (int i = 0; i < 12; i++)
        {
            metadata.Query.AccountEmails.Add($"custodian.{i:D2}@example.com");
        }

        var export = new Export
        {
            Id = metadata.ExportId,
            MatterId = metadata.MatterId,
            Name = "Q3 forecast review - mail export",
            Status = "COMPLETED",
            Stats = stats,
        };
        for (int i = 0; i < 8; i++)
        {
            export.Files.Add(new CloudStorageFile
            {
                BucketName = "vault-export-us-7d3b6a0c4e18",
                ObjectName = $"exportly-7d3b6a0c4e18-20261102/Q3_forecast_review-{i + 1}.zip",
                Size = 671_088_640 + i,
                Md5Hash = $"9b2cf5{i:D2}e1d84a7c3f60b5e2d91a4c7f",
            });
        }

        return new Operation
        {
            Name = GetName,
            Done = true,
            Metadata = Any.Pack(metadata),
            Response = Any.Pack(export),
        };
    }
}
