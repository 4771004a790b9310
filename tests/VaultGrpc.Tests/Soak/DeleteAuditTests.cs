using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>The soak's judge of duplicate Deletes, on journals written by hand: it must see each breach, and only breaches.</summary>
[Trait("Category", "Reliability")]
public sealed class DeleteAuditTests
{
    private long _sequence;

    [Fact]
    public void Breaches_RetriedAfterServiceAnsweredUnavailable_None()
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: StatusCode.Unavailable, fault: FaultKind.Status),
            Delete("operations/a", Transport.Grpc, status: StatusCode.OK),
        ];

        Assert.Empty(DeleteAudit.Breaches(journal));
    }

    [Fact]
    public void Breaches_FellBackAfterUnimplemented_None()
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: StatusCode.Unimplemented),
            Delete("operations/a", Transport.Rest, status: StatusCode.OK, httpStatus: 200),
        ];

        Assert.Empty(DeleteAudit.Breaches(journal));
    }

    [Theory]
    [InlineData(FaultKind.ResetStream)]
    [InlineData(FaultKind.AbortConnection)]
    public void Breaches_SentAgainAfterResponseWasCut_Reported(FaultKind cut)
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: null, fault: cut, httpStatus: 0),
            Delete("operations/a", Transport.Rest, status: StatusCode.NotFound, httpStatus: 404),
        ];

        DeleteBreach breach = Assert.Single(DeleteAudit.Breaches(journal));

        Assert.Equal(("operations/a", $"sent again after an attempt that may have acted ({cut})"), (breach.Name, breach.Cause));
    }

    [Fact]
    public void Breaches_SentAgainAfterGateway503_Reported()
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: null, httpStatus: 503),
            Delete("operations/a", Transport.Rest, status: StatusCode.OK, httpStatus: 200),
        ];

        DeleteBreach breach = Assert.Single(DeleteAudit.Breaches(journal));

        Assert.Equal("sent again after an attempt that may have acted (HTTP 503 from a gateway)", breach.Cause);
    }

    [Fact]
    public void Breaches_ActedOnTwice_Reported()
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: StatusCode.OK, fault: FaultKind.Latency),
            Delete("operations/a", Transport.Rest, status: StatusCode.NotFound, httpStatus: 404),
        ];

        DeleteBreach breach = Assert.Single(DeleteAudit.Breaches(journal));

        Assert.Equal(("operations/a", "acted on 2 times"), (breach.Name, breach.Cause));
    }

    [Fact]
    public void Breaches_CutDeleteOfOneNameThenDeleteOfAnother_None()
    {
        JournalEntry[] journal =
        [
            Delete("operations/a", Transport.Grpc, status: null, fault: FaultKind.AbortConnection, httpStatus: 0),
            Delete("operations/b", Transport.Grpc, status: StatusCode.OK),
        ];

        Assert.Empty(DeleteAudit.Breaches(journal));
    }

    private JournalEntry Delete(string name, Transport transport, StatusCode? status, FaultKind? fault = null, int httpStatus = 200)
    {
        var entry = new JournalEntry(++_sequence)
        {
            Transport = transport,
            Method = OperationsMethod.Delete,
            OperationName = name,
            Fault = fault,
        };
        entry.Complete(httpStatus, status);
        return entry;
    }
}
