using System.Globalization;

namespace AiGateway.Emulator;

/// <summary>
/// What a request's <c>anthropic-version</c> does not have. Version <c>2026-10-21</c> (the one the Anthropic C# SDK 13.x
/// sends) dropped the sampling fields, and Anthropic refuses a request that carries them with 400
/// <c>invalid_request_error</c>, "temperature: Extra inputs are not permitted".
/// </summary>
internal static class AnthropicVersion
{
    private static readonly DateOnly s_withoutSampling = new(2026, 10, 21);
    private static readonly string[] s_samplingFields = ["temperature", "top_p", "top_k"];

    /// <summary>Anthropic's message for the first field the version lacks, or null when the request is fine for its version.</summary>
    public static string? Refusal(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body) =>
        headers.TryGetValue("anthropic-version", out var header) &&
        DateOnly.TryParseExact(header.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var version) &&
        version >= s_withoutSampling &&
        RequestFacts.FirstField(body, s_samplingFields) is { } field
            ? $"{field}: Extra inputs are not permitted"
            : null;
}
