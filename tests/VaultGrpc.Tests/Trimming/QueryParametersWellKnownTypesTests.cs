using System.Text;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.Invokers.Rest;

namespace VaultGrpc.Tests.Trimming;

/// <summary>
/// Well-known types in query parameters go as their JSON text, unquoted. The unquoting moved off the
/// reflection-based JsonSerializer (a trim/AOT warning) to JsonDocument; these pin what it yields.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class QueryParametersWellKnownTypesTests
{
    [Fact]
    public void Append_TimestampFields_SentAsUnquotedJsonText()
    {
        // Arrange
        var interval = new Google.Type.Interval
        {
            StartTime = Timestamp.FromDateTime(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc)),
            EndTime = Timestamp.FromDateTime(new DateTime(2024, 5, 7, 0, 0, 0, 500, DateTimeKind.Utc)),
        };
        var target = new StringBuilder("/v1/x");

        // Act
        QueryParameters.Append(target, interval, new HashSet<FieldDescriptor>());

        // Assert
        Assert.Equal("/v1/x?startTime=2024-05-06T07%3A08%3A09Z&endTime=2024-05-07T00%3A00%3A00.500Z", target.ToString());
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\\"b\\\\c\"", "a\"b\\c")]
    [InlineData("\"caf\\u00e9 \\n\"", "café \n")]
    [InlineData("\"\"", "")]
    public void Unquote_JsonString_EscapesUndone(string json, string expected)
    {
        // Act
        string text = QueryParameters.Unquote(json);

        // Assert
        Assert.Equal(expected, text);
    }
}
