using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Invokers.Rest;

/// <summary>The text of a scalar field value in a path or query parameter: its proto3 JSON form, unquoted.</summary>
internal static class FieldText
{
    /// <summary>The text of <paramref name="value"/>, a value of the scalar <paramref name="field"/>.</summary>
    /// <exception cref="ArgumentException">The field is a message, which has no one-segment form.</exception>
    public static string Of(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => (string)value,
        FieldType.Bytes => ((ByteString)value).ToBase64(),
        FieldType.Bool => (bool)value ? "true" : "false",
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture))?.Name
            ?? Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        FieldType.Double => Floating((double)value),
        FieldType.Float => float.IsFinite((float)value) ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : Floating((float)value),
        FieldType.Message or FieldType.Group => throw new ArgumentException($"The message field '{field.FullName}' has no text form for a URL."),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>Whether <paramref name="value"/> is the default of its scalar type (what proto3 JSON omits).</summary>
    public static bool IsDefault(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => ((string)value).Length == 0,
        FieldType.Bytes => ((ByteString)value).IsEmpty,
        FieldType.Bool => !(bool)value,
        FieldType.Enum => Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0,
        FieldType.Double => (double)value == 0 && !double.IsNegative((double)value),
        FieldType.Float => (float)value == 0 && !float.IsNegative((float)value),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture) == 0,
    };

    private static string Floating(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
