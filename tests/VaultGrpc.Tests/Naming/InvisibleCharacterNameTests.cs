using VaultGrpc.Internal.Naming;
using VaultGrpc.Testing;
using VaultGrpc.Tests.ClientBehaviour;

namespace VaultGrpc.Tests.Naming;

/// <summary>
/// Names holding characters a reader cannot see or tell apart are refused before any I/O, on both
/// transports, with the code point and its index; visible text of every script stays accepted.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class InvisibleCharacterNameTests
{
    // Enumerated at run time (DisableDiscoveryEnumeration): xunit would otherwise serialize the rows and mangle the characters.
    /// <summary>A name with the character at index 13 (after "operations/ab"), the code point reported, and how it is shown in the message.</summary>
    public static TheoryData<string, string, string> HiddenCharacters => new()
    {
        { "\u200B", "U+200B", "\\u200B" },           // zero width space (Cf)
        { "\u200E", "U+200E", "\\u200E" },           // left-to-right mark (Cf)
        { "\uFEFF", "U+FEFF", "\\uFEFF" },           // byte order mark / zero width no-break space (Cf)
        { "\u00AD", "U+00AD", "\\u00AD" },           // soft hyphen (Cf)
        { "\u2060", "U+2060", "\\u2060" },           // word joiner (Cf)
        { "\u202E", "U+202E", "\\u202E" },           // right-to-left override (Cf)
        { "\u200D", "U+200D", "\\u200D" },           // zero width joiner (Cf)
        { "\u061C", "U+061C", "\\u061C" },           // Arabic letter mark (Cf)
        { "\u180E", "U+180E", "\\u180E" },           // Mongolian vowel separator (Cf)
        { "\U000E0041", "U+E0041", "\\U000E0041" },  // tag latin capital A (Cf, outside the BMP)
        { "\U0001D173", "U+1D173", "\\U0001D173" },  // musical symbol begin beam (Cf, outside the BMP)
        { "\u3164", "U+3164", "\\u3164" },           // Hangul filler (Lo, default-ignorable)
        { "\u115F", "U+115F", "\\u115F" },           // Hangul choseong filler (Lo, default-ignorable)
        { "\uFE0F", "U+FE0F", "\\uFE0F" },           // variation selector 16 (Mn, default-ignorable)
        { "\u034F", "U+034F", "\\u034F" },           // combining grapheme joiner (Mn, default-ignorable)
        { "\uE000", "U+E000", "\\uE000" },           // private use (Co)
        { "\U000F0000", "U+F0000", "\\U000F0000" },  // supplementary private use (Co)
        { "\uFFFF", "U+FFFF", "\\uFFFF" },           // noncharacter
        { "\uFDD0", "U+FDD0", "\\uFDD0" },           // noncharacter
        { "\uFFFD", "U+FFFD", "\\uFFFD" },           // replacement character: bytes were lost
    };

    public static TheoryData<string> VisibleNames => new()
    {
        "operations/café",
        "operations/e\u0301t\u00E9",
        "operations/名前",
        "operations/مرحبا",
        "operations/क्षत्रिय",
        "operations/\U0001F642",
        "operations/a b",
        "operations/\u00A0x",
    };

    [Theory]
    [MemberData(nameof(HiddenCharacters), DisableDiscoveryEnumeration = true)]
    public void ValidateOperation_HiddenCharacter_ThrowsWithCodePointIndexAndVisibleQuote(string hidden, string codePoint, string shown)
    {
        string name = "operations/ab" + hidden + "cd";

        ArgumentException error = Assert.Throws<ArgumentException>(() => OperationNameRules.ValidateOperation(name, "name"));

        Assert.Contains($"{codePoint} ", error.Message, StringComparison.Ordinal);
        Assert.Contains("at index 13", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'operations/ab{shown}cd'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hidden, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(VisibleNames))]
    public void ValidateOperation_VisibleTextOfAnyScript_Accepted(string name)
    {
        Assert.Same(name, OperationNameRules.ValidateOperation(name, "name"));
    }

    [Theory]
    [InlineData(TransportMode.GrpcOnly)]
    [InlineData(TransportMode.RestOnly)]
    [InlineData(TransportMode.Auto)]
    public async Task EveryCall_NameWithZeroWidthSpace_ArgumentExceptionAndNothingSent(TransportMode mode)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/export-1");
        await using VaultOperationsClient client = FakeClients.Create(fake, mode);
        const string Lookalike = "operations/export-1\u200B";

        var errors = new List<ArgumentException>
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.CancelAsync(Lookalike)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(Lookalike)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(Lookalike)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.WaitAsync(Lookalike, TimeSpan.FromSeconds(1))),
        };

        Assert.All(errors, e => Assert.Contains("U+200B at index 19", e.Message, StringComparison.Ordinal));
        Assert.Empty(fake.Journal.Entries);
        Assert.False(fake.Store.Find("operations/export-1")!.Done);
    }
}
