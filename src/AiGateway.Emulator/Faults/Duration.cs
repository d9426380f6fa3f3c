using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Emulator;

/// <summary>
/// The emulator's one rule for durations in JSON: a number, or a string holding one, is seconds (as HTTP's
/// <c>Retry-After</c> is; <c>0.5</c> is half a second); a string with colons is <c>[d.]hh:mm:ss[.fffffff]</c>. Anything
/// else is refused with the forms it takes. (<see cref="TimeSpan"/>'s own reading would take <c>"30"</c> as 30 days.)
/// Written back as seconds.
/// </summary>
internal sealed class Duration : JsonConverter<TimeSpan?>
{
    public const string Forms = "seconds (30, 0.5) or hh:mm:ss (00:00:30)";

    public override bool HandleNull => true;

    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetDouble(out double seconds) => FromSeconds(seconds),
        JsonTokenType.String => Parse(reader.GetString()!),
        _ => throw new JsonException($"must be {Forms}."),
    };

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } duration)
        {
            writer.WriteNumberValue(duration.TotalSeconds);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Reads a duration in either form.</summary>
    /// <exception cref="JsonException">The text is in neither form.</exception>
    public static TimeSpan Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? FromSeconds(seconds)
        : text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) ? span
        : throw new JsonException($"'{text}' must be {Forms}.");

    private static TimeSpan FromSeconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new JsonException($"{seconds} seconds is out of range: must be {Forms}.");
}
