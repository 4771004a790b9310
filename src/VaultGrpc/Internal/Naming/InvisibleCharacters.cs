using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Naming;

/// <summary>
/// The code points an operation name must not hold because a person cannot see them, or cannot
/// tell them apart, in a log line, a console or a names file: a name holding one would be sent as
/// something other than what its reader sees (<c>operations/export-1</c> and
/// <c>operations/export-1&lt;U+200B&gt;</c> print the same and are two names to the service).
/// </summary>
/// <remarks>
/// Rejected, with why:
/// <list type="bullet">
/// <item>Cc controls, Cf format characters (zero-width spaces and joiners, bidi marks, overrides
/// and isolates, soft hyphen, word joiner, BOM, tag characters), Zl/Zp line and paragraph
/// separators: invisible, or they move or break the text around them.</item>
/// <item>The other Default_Ignorable_Code_Point characters of the Unicode standard (fillers such
/// as U+3164, variation selectors, the combining grapheme joiner): renderers draw nothing for them.</item>
/// <item>Co private use: no agreed glyph, so no reader can say which one it sees.</item>
/// <item>Noncharacters (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF): never meant for interchange.</item>
/// <item>U+FFFD: stands for bytes some decoder could not read, so the name is not the one meant.</item>
/// </list>
/// Kept: letters, marks, digits, symbols, punctuation and spaces of every script (a space inside a
/// name is visible and percent-encoded on the REST path); unassigned code points, which a later
/// Unicode version may assign.
/// </remarks>
internal static class InvisibleCharacters
{
    /// <summary>What <paramref name="rune"/> is, e.g. "the control or formatting character U+200B", when a name must not hold it; otherwise null.</summary>
    public static string? Describe(Rune rune)
    {
        int value = rune.Value;
        if (value is >= 0x20 and < 0x7F)
        {
            // Printable ASCII, nearly every character of every name: nothing to look up.
            return null;
        }

        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
        {
            return "the control or formatting character " + Code(value);
        }

        if (category == UnicodeCategory.PrivateUse)
        {
            return $"the private-use character {Code(value)} (it has no agreed glyph)";
        }

        if (IsNoncharacter(value))
        {
            return $"the noncharacter {Code(value)} (never meant for interchange)";
        }

        if (value == 0xFFFD)
        {
            return $"the replacement character {Code(value)} (left where a decoder lost bytes)";
        }

        return IsOtherDefaultIgnorable(value)
            ? $"the invisible character {Code(value)} (default-ignorable)"
            : null;
    }

    // Made only for a rejected character: names are checked on every call.
    private static string Code(int value) => string.Create(CultureInfo.InvariantCulture, $"U+{value:X4}");

    private static bool IsNoncharacter(int value) =>
        value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;

    // Default_Ignorable_Code_Point (DerivedCoreProperties.txt) less what is Cf, Cc or Cs, which are
    // rejected by category: marks, fillers and reserved ranges renderers draw nothing for.
    private static bool IsOtherDefaultIgnorable(int value) => value switch
    {
        0x034F => true,                       // combining grapheme joiner
        0x115F or 0x1160 => true,             // Hangul choseong and jungseong fillers
        0x17B4 or 0x17B5 => true,             // Khmer inherent vowels
        >= 0x180B and <= 0x180F => true,      // Mongolian free variation selectors (U+180E is Cf)
        0x2065 => true,                       // reserved in the format-character block
        0x3164 => true,                       // Hangul filler
        >= 0xFE00 and <= 0xFE0F => true,      // variation selectors 1-16
        0xFFA0 => true,                       // halfwidth Hangul filler
        >= 0xFFF0 and <= 0xFFF8 => true,      // reserved specials
        >= 0xE0000 and <= 0xE0FFF => true,    // tags (Cf), variation selectors 17-256, reserved
        _ => false,
    };
}
