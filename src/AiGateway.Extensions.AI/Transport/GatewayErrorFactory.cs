using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AiGateway.Extensions.AI;

/// <summary>Turns a failed answer or a failed connection into an <see cref="AiGatewayException"/>, without secrets.</summary>
internal static class GatewayErrorFactory
{
    private const int MaxMessageLength = 1000;

    /// <summary>How much of a body that is not JSON is read as its message (redacted, then cut to <see cref="MaxMessageLength"/>).</summary>
    private const int MaxTextBodyLength = 16 * 1024;

    /// <summary>A failed answer: its status, headers and body (the gateway's or the provider's error shape).</summary>
    public static AiGatewayException FromResponse(
        AiGatewayRoute route, int status, string? reasonPhrase, Func<string, string?> header, BinaryData content, TimeSpan duration, TimeProvider time)
    {
        var body = ErrorBody.Parse(content.ToMemory().Span);
        var kind = Classify(status, body);
        string? logId = header(AiGatewayHeaderNames.LogId);
        string? providerMessage = body.Message is null ? null : Truncate(Redact(body.Message, route.Secrets)!);

        var message = new StringBuilder()
            .Append("AI Gateway request to ").Append(route.Provider.Slug).Append(" (model ").Append(route.Model).Append(") failed with ")
            .Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(status, reasonPhrase))
            .Append(" (").Append(kind).Append(')');
        if (body.GatewayCode is { } code)
        {
            message.Append(", gateway code ").Append(code.ToString(CultureInfo.InvariantCulture));
        }

        if (body.Code is not null)
        {
            message.Append(", provider code ").Append(Redact(body.Code, route.Secrets));
        }

        if (providerMessage is not null)
        {
            message.Append(": ").Append(providerMessage);
        }

        if (kind == AiGatewayErrorKind.SpendLimitExceeded)
        {
            GatewayRefusals.AppendBudget(message, body.Bucket, body.Spent, body.Limit);
        }

        if (logId is not null)
        {
            message.Append(" (log id ").Append(logId).Append(')');
        }

        if (kind is AiGatewayErrorKind.PolicyDenied or AiGatewayErrorKind.SpendLimitExceeded or AiGatewayErrorKind.InsufficientCredits)
        {
            GatewayRefusals.AppendAdvice(message, kind, route.Provider.Slug, route.Model, body.Message);
        }
        else if (body.GatewayCode == 2001)
        {
            message.Append(". Check ").Append(route.GatewayConfigurationPath).Append(":GatewayId ('").Append(route.GatewayId)
                .Append("') and ").Append(route.GatewayConfigurationPath).Append(":AccountId ('").Append(route.AccountId)
                .Append("'): no gateway of that id exists in that account; use the id the dashboard shows, or create it (AiGatewayManagementClient.EnsureGatewayAsync).");
        }
        else if (body.GatewayCode == 2009 && route.Settings.Token is null && route.Settings.GatewayIdHeader is null)
        {
            message.Append(". The gateway requires authentication and no token is configured: set ").Append(route.GatewayConfigurationPath)
                .Append(":Token to a Cloudflare API token with AI Gateway Run access")
                .Append(route.GatewayId == "default" ? " (Cloudflare creates the gateway 'default' with authentication on since 2026-03-02)." : ".");
        }
        else if (body.GatewayCode == 2009 && route.Settings.GatewayIdHeader is not null)
        {
            message.Append(". On the CloudflareApi form 2009 also means the provider rejected the credential: check the ").Append(route.Provider.Slug)
                .Append(" key stored in the gateway (BYOK), then the token's AI Gateway permissions.");
        }

        return new AiGatewayException(message.ToString())
        {
            Kind = kind,
            StatusCode = status,
            GatewayErrorCode = body.GatewayCode,
            ProviderErrorCode = Redact(body.Code, route.Secrets),
            ProviderErrorType = Redact(body.Type, route.Secrets),
            ProviderMessage = providerMessage,
            RetryAfter = ReadRetryAfter(header, time),
            LogId = logId,
            Dlp = header(AiGatewayHeaderNames.Dlp),
            Bucket = Redact(body.Bucket, route.Secrets),
            Spent = body.Spent,
            Limit = body.Limit,
            Provider = route.Provider.Slug,
            Model = route.Model,
            Attempts = [new(route.Index, route.Provider.Slug, route.Model, status, kind, duration)],
        };
    }

    /// <summary>An error event inside a 200 stream (OpenRouter sends these when the upstream fails mid-answer).</summary>
    public static AiGatewayException FromStreamError(AiGatewayRoute route, ReadOnlySpan<byte> data, string? logId, TimeSpan duration)
    {
        var body = ErrorBody.Parse(data);
        string? providerMessage = body.Message is null ? null : Truncate(Redact(body.Message, route.Secrets)!);
        string? code = Redact(body.Code, route.Secrets);
        return new AiGatewayException(
            $"The {route.Provider.Slug} stream (model {route.Model}) reported an error after it started" +
            (code is null ? string.Empty : $", provider code {code}") +
            (providerMessage is null ? "." : $": {providerMessage}"))
        {
            Kind = AiGatewayErrorKind.ProviderError,
            StatusCode = 200,
            ProviderErrorCode = code,
            ProviderErrorType = Redact(body.Type, route.Secrets),
            ProviderMessage = providerMessage,
            LogId = logId,
            Provider = route.Provider.Slug,
            Model = route.Model,
            Attempts = [new(route.Index, route.Provider.Slug, route.Model, 200, AiGatewayErrorKind.ProviderError, duration)],
        };
    }

    public static AiGatewayException FromException(AiGatewayRoute route, Exception exception, TimeSpan duration, string? logId = null)
    {
        bool timedOut = exception is OperationCanceledException or TimeoutException;
        var kind = timedOut ? AiGatewayErrorKind.Timeout
            : exception is InvalidDataException ? AiGatewayErrorKind.MalformedResponse
            : AiGatewayErrorKind.Transport;

        // The SDK's own timeout message advises a setting this package owns: name ours instead.
        string what = kind switch
        {
            AiGatewayErrorKind.Timeout when exception is StreamStartTimeoutException start =>
                $"did not start its stream within {route.GatewayConfigurationPath}:StreamStartTimeout ({start.Timeout:c}); raise it if the provider is slow to start, or set {route.GatewayConfigurationPath}:RequestTimeout to let the gateway give up first.",
            AiGatewayErrorKind.Timeout => $"got no answer within {route.GatewayConfigurationPath}:NetworkTimeout ({route.NetworkTimeout:c}); raise it for slow models, or set {route.GatewayConfigurationPath}:RequestTimeout to let the gateway give up first.",
            AiGatewayErrorKind.MalformedResponse => "returned an answer that could not be read: " + Truncate(Redact(exception.Message, route.Secrets)!),
            _ => "failed to reach the gateway or lost the connection: " + Truncate(Redact(Innermost(exception).Message, route.Secrets)!),
        };
        return new AiGatewayException($"AI Gateway request to {route.Provider.Slug} (model {route.Model}) {what}", exception)
        {
            Kind = kind,
            LogId = logId,
            Provider = route.Provider.Slug,
            Model = route.Model,
            Attempts = [new(route.Index, route.Provider.Slug, route.Model, null, kind, duration)],
        };
    }

    /// <summary>A 200 stream whose body is not server-sent events (a proxy's HTML error page, a JSON body).</summary>
    public static AiGatewayException FromUnexpectedContent(AiGatewayRoute route, string contentType, string bodyStart, string? logId, TimeSpan duration)
    {
        string start = Redact(bodyStart.ReplaceLineEndings(" ").Trim(), route.Secrets)!;
        return new AiGatewayException(
            $"AI Gateway request to {route.Provider.Slug} (model {route.Model}) answered 200 with {contentType} instead of a stream of server-sent events" +
            (start.Length > 0 ? $": {start}" : "."))
        {
            Kind = AiGatewayErrorKind.MalformedResponse,
            StatusCode = 200,
            LogId = logId,
            Provider = route.Provider.Slug,
            Model = route.Model,
            Attempts = [new(route.Index, route.Provider.Slug, route.Model, 200, AiGatewayErrorKind.MalformedResponse, duration)],
        };
    }

    /// <summary>The innermost cause: for a failed connection, the socket's own reason ("Connection refused").</summary>
    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static AiGatewayErrorKind Classify(int status, ErrorBody body) => (status, body.GatewayCode) switch
    {
        (403, null) when body.IsPolicyRefusal => AiGatewayErrorKind.PolicyDenied,
        (429, null) when body.IsBudgetRefusal => AiGatewayErrorKind.SpendLimitExceeded,
        (_, 2021) or (402, _) => AiGatewayErrorKind.InsufficientCredits,
        (_, 2040) => AiGatewayErrorKind.BadRequest,
        (_, 2016 or 2017 or 2029 or 2030) or (424, _) => AiGatewayErrorKind.Blocked,
        (_, 2009) or (401 or 403, _) => AiGatewayErrorKind.Authentication,
        (429, _) => AiGatewayErrorKind.RateLimited,
        (408 or 504, _) => AiGatewayErrorKind.Timeout,
        (404, null) => AiGatewayErrorKind.NotFound,
        (_, not null) => AiGatewayErrorKind.GatewayError,
        ( >= 500, _) => AiGatewayErrorKind.ProviderError,
        _ => AiGatewayErrorKind.BadRequest,
    };

    private static string? Redact(string? text, IReadOnlyList<string> secrets) => SecretRedaction.Redact(text, secrets);

    private static TimeSpan? ReadRetryAfter(Func<string, string?> header, TimeProvider time)
    {
        if (header("retry-after-ms") is { } ms &&
            double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (header("Retry-After") is not { } value)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - time.GetUtcNow()).Ticks))
            : null;
    }

    private static string ReasonPhrase(int status, string? reported) =>
        !string.IsNullOrEmpty(reported) ? reported
        : status == 529 ? "Overloaded"
        : Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString()
        : "Error";

    private static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "...";

    /// <summary>The parts of the error body shapes seen from the gateway and the providers.</summary>
    /// <param name="GatewayCode">The gateway's own error code.</param>
    /// <param name="Code">The provider's error code.</param>
    /// <param name="Type">The provider's error type.</param>
    /// <param name="Message">The error's message.</param>
    /// <param name="GatewayShaped">
    /// Whether the body is the gateway's <c>{"success":false,"error":{...}}</c> (its policy and budget refusals): providers
    /// never send <c>success</c> beside an <c>error</c> object.
    /// </param>
    /// <param name="Bucket">A spent budget's bucket.</param>
    /// <param name="Spent">What the bucket spent in its window, in US dollars.</param>
    /// <param name="Limit">The bucket's limit, in US dollars.</param>
    private readonly record struct ErrorBody(
        int? GatewayCode, string? Code, string? Type, string? Message, bool GatewayShaped = false, string? Bucket = null, decimal? Spent = null, decimal? Limit = null)
    {
        /// <summary>Gets whether this is the gateway's 403 of features/policies.mdx: <c>{"success":false,"error":{"message":"Access denied by policy"}}</c>.</summary>
        public bool IsPolicyRefusal => string.Equals(Message, GatewayRefusals.PolicyDeniedMessage, StringComparison.OrdinalIgnoreCase) ||
            (GatewayShaped && (Message?.Contains("policy", StringComparison.OrdinalIgnoreCase) ?? false));

        /// <summary>Gets whether this is the gateway's 429 for a spent budget (a gateway rate limit says nothing of spending).</summary>
        public bool IsBudgetRefusal => Bucket is not null || (Message?.Contains(GatewayRefusals.SpendLimitMessage, StringComparison.OrdinalIgnoreCase) ?? false);

        public static ErrorBody Parse(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return default;
            }

            try
            {
                var reader = new Utf8JsonReader(utf8);
                using var document = JsonDocument.ParseValue(ref reader);
                return FromElement(document.RootElement);
            }
            catch (JsonException)
            {
                // Redacted before it is cut to MaxMessageLength, so a secret across the cut cannot leak its start.
                return new(null, null, null, Encoding.UTF8.GetString(utf8.Length > MaxTextBodyLength ? utf8[..MaxTextBodyLength] : utf8).Trim());
            }
        }

        private static ErrorBody FromElement(JsonElement root)
        {
            switch (root.ValueKind)
            {
                // [{"code":2009,"message":"Unauthorized"}]
                case JsonValueKind.Array:
                    return FromGatewayList(root);
                case JsonValueKind.Object:
                    if (root.TryGetProperty("error", out var error))
                    {
                        return error.ValueKind switch
                        {
                            // {"success":false,"error":[{"code":2001,"message":"..."}]}
                            JsonValueKind.Array => FromGatewayList(error),
                            // {"success":false,"error":{"message","bucket","spent","limit"}} (the gateway's policy and budget refusals)
                            JsonValueKind.Object when IsFalse(root, "success") => FromGatewayObject(root, error),
                            // {"error":{"message","type","code"}} (OpenAI, Groq, OpenRouter) and {"type":"error","error":{"type","message"}} (Anthropic)
                            JsonValueKind.Object => new(null, ReadCode(error), ReadString(error, "type"), ReadString(error, "message")),
                            JsonValueKind.String => new(null, null, null, error.GetString()),
                            _ => default,
                        };
                    }

                    // Cloudflare's API envelope: {"success":false,"errors":[{"code","message"}]}
                    if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                    {
                        return FromGatewayList(errors);
                    }

                    return new(null, ReadCode(root), ReadString(root, "type"), ReadString(root, "message") ?? ReadString(root, "detail"));
                default:
                    return default;
            }
        }

        /// <summary>The gateway's own object shape: a numeric code (or <c>internalCode</c>) is the gateway's, any other code is kept as it came.</summary>
        private static ErrorBody FromGatewayObject(JsonElement root, JsonElement error)
        {
            int? gatewayCode = ReadInt(error, "code") ?? ReadInt(root, "internalCode");
            return new(gatewayCode, gatewayCode is null ? ReadCode(error) : null, ReadString(error, "type"), ReadString(error, "message"), GatewayShaped: true,
                ReadString(error, "bucket"), ReadDecimal(error, "spent"), ReadDecimal(error, "limit"));
        }

        private static ErrorBody FromGatewayList(JsonElement list)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    int? code = item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int n) ? n : null;
                    return new(code, null, null, ReadString(item, "message"));
                }
            }

            return default;
        }

        private static string? ReadCode(JsonElement element) =>
            element.TryGetProperty("code", out var code)
                ? code.ValueKind switch
                {
                    JsonValueKind.String => code.GetString(),
                    JsonValueKind.Number => code.GetRawText(),
                    _ => null,
                }
                : null;

        private static bool IsFalse(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.False;

        private static int? ReadInt(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

        private static decimal? ReadDecimal(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal number) ? number : null;

        private static string? ReadString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
