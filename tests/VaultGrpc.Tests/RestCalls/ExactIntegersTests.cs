using System.Text;
using VaultGrpc.Internal.RestCalls;

namespace VaultGrpc.Tests.RestCalls;

[Trait("Category", "Reliability")]
public sealed class ExactIntegersTests
{
    [Theory]
    [InlineData("9007199254740993", true)]       // beyond 2^53
    [InlineData("9007199254740992", true)]       // 2^53: a neighbour of 2^53 + 1 as a double
    [InlineData("9007199254740991", false)]      // the largest integer a double holds along with all below it
    [InlineData("-9223372036854775808", true)]
    [InlineData("18446744073709551615", true)]   // uint64 max
    [InlineData("18446744073709551616", true)]   // 2^64: a double reads it as exactly 2^64
    [InlineData("1e20", false)]                  // beyond every integer type: the parser refuses it as it did
    [InlineData("1e300", false)]
    [InlineData("1e3", false)]                   // exact as a double
    [InlineData("1E+3", false)]
    [InlineData("12.000", false)]
    [InlineData("1200e-2", false)]
    [InlineData("1.5", false)]                   // not an integer even as a double: int fields refuse it already
    [InlineData("0.5", false)]
    [InlineData("1.0000000000000000001", true)]  // a double reads it as 1
    [InlineData("1e-400", true)]                 // a double reads it as 0
    [InlineData("-0", false)]
    [InlineData("0e99999999999", false)]
    public void MustQuote_Literal_QuotedOnlyWhenADoubleWouldMisreadAnInteger(string literal, bool quoted)
    {
        Assert.Equal(quoted, ExactIntegers.MustQuote(Encoding.ASCII.GetBytes(literal)));
    }

    [Fact]
    public void TryQuote_BodyWithLargeNumbersAmongOthers_OnlyThoseBecomeStrings()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"a":[9007199254740993,1,2.5,"9007199254740993"],"b":{"c":-9223372036854775808},"d":"x"}""");

        Assert.True(ExactIntegers.TryQuote(body, 64, out byte[]? quoted));

        Assert.Equal("""{"a":["9007199254740993",1,2.5,"9007199254740993"],"b":{"c":"-9223372036854775808"},"d":"x"}""", Encoding.UTF8.GetString(quoted));
    }

    [Theory]
    [InlineData("""{"a":1,"b":"9007199254740993"}""")]
    [InlineData("""{"a":9007199254740993""")]     // not JSON: left for the parser to refuse
    [InlineData("not json")]
    public void TryQuote_NothingToQuoteOrNotJson_False(string json)
    {
        Assert.False(ExactIntegers.TryQuote(Encoding.UTF8.GetBytes(json), 64, out _));
    }
}
