using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Sends requests to Cloudflare's REST API and unwraps its envelope <c>{success, errors, messages, result, result_info}</c>.</summary>
internal sealed class CloudflareApiTransport
{
    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http;
    private readonly AiGatewayManagementOptions _options;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly string[] _secrets;

    public CloudflareApiTransport(HttpClient http, AiGatewayManagementOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccountId, "AiGatewayManagement:AccountId");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiToken, "AiGatewayManagement:ApiToken");
        _http = http;
        _options = options;
        _secrets = [options.ApiToken];
        _time = time;
        _root = AiGatewayEndpoints.Join(options.BaseUrl, "accounts", Uri.EscapeDataString(options.AccountId), "ai-gateway") + "/";
    }

    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>One call whose <c>result</c> is read as <typeparamref name="T"/>; <paramref name="secrets"/> (provider keys the body carries) are kept out of any error message, as the token is.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, string? json, JsonTypeInfo<T> resultType, CancellationToken cancellationToken, IEnumerable<string?>? secrets = null)
    {
        var (result, _, _) = await SendEnvelopeAsync(method, path, json, cancellationToken, secrets).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Undefined ? default! : result.Deserialize(resultType)!;
    }

    public async Task<(List<T> Items, int TotalCount)> SendPageAsync<T>(string path, JsonTypeInfo<List<T>> resultType, CancellationToken cancellationToken)
    {
        var (result, info, _) = await SendEnvelopeAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var items = result.ValueKind == JsonValueKind.Array ? result.Deserialize(resultType) ?? [] : [];
        int total = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("total_count", out var count) && count.TryGetInt32(out int n) ? n : items.Count;
        return (items, total);
    }

    public async Task<JsonElement> SendRawAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken) =>
        (await SendEnvelopeAsync(method, path, json, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>
    /// A call whose answer the API does not put in <c>result</c> (dynamic routes' lists and rename answer
    /// <c>{success, data}</c> and <c>{success, route}</c>, which Cloudflare's client reads whole): the named member of
    /// the body, or of <c>result</c> should the API wrap it after all.
    /// </summary>
    public async Task<JsonElement> SendForMemberAsync(HttpMethod method, string path, string? json, string member, CancellationToken cancellationToken)
    {
        var (result, _, root) = await SendEnvelopeAsync(method, path, json, cancellationToken).ConfigureAwait(false);
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(member, out var value) ? value
            : result.ValueKind == JsonValueKind.Object && result.TryGetProperty(member, out var wrapped) ? wrapped
            : default;
    }

    /// <summary>GETs a body the API answers as it is, not in an envelope (a log's stored request or response).</summary>
    public async Task<BinaryData> SendForBodyAsync(string path, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (answer.Success)
        {
            return new BinaryData(answer.Body);
        }

        using var document = TryParse(answer.Body);
        throw Failure(HttpMethod.Get, path, answer, document);
    }

    private async Task<(JsonElement Result, JsonElement Info, JsonElement Root)> SendEnvelopeAsync(
        HttpMethod method, string path, string? json, CancellationToken cancellationToken, IEnumerable<string?>? secrets = null)
    {
        var answer = await SendAsync(method, path, json, cancellationToken).ConfigureAwait(false);
        using var document = TryParse(answer.Body);
        var root = document?.RootElement ?? default;
        bool success = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
        if (answer.Success && success)
        {
            // One copy of the answer outlives the document; its result and paging info are views of that copy.
            var kept = root.Clone();
            return (kept.TryGetProperty("result", out var result) ? result : default,
                kept.TryGetProperty("result_info", out var info) ? info : default,
                kept);
        }

        throw Failure(method, path, answer, document, secrets);
    }

    /// <summary>One call with the token, retried after <c>Retry-After</c> while the API answers 429 (up to <c>MaxRateLimitRetries</c> times).</summary>
    private async Task<Answer> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, _root + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiToken);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(method, path, response, cancellationToken).ConfigureAwait(false);
            var retryAfter = RetryAfter(response);
            if ((int)response.StatusCode == 429 && attempt < _options.MaxRateLimitRetries)
            {
                await Task.Delay(retryAfter is { } wait && wait < s_maxRetryAfter ? wait : s_maxRetryAfter, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return new Answer((int)response.StatusCode, response.ReasonPhrase, response.IsSuccessStatusCode, body, retryAfter);
        }
    }

    /// <summary>The answer's body, within <see cref="AiGatewayManagementOptions.MaxResponseContentLength"/>.</summary>
    private async Task<byte[]> ReadBodyAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await ResponseBodyReader.ReadAsync(stream, _options.MaxResponseContentLength, cancellationToken).ConfigureAwait(false)).ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new CloudflareApiException(
                $"Cloudflare API {method} {path} answered more than AiGatewayManagement:MaxResponseContentLength ({_options.MaxResponseContentLength} bytes); raise it to read larger answers.", e)
            {
                StatusCode = (int)response.StatusCode,
            };
        }
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The failure with the API's own error codes when the answer is its envelope; parsed once, by the caller.</summary>
    private CloudflareApiException Failure(HttpMethod method, string path, Answer answer, JsonDocument? document, IEnumerable<string?>? extraSecrets = null)
    {
        IReadOnlyList<string> secrets = extraSecrets is null ? _secrets : [.. _secrets, .. extraSecrets.OfType<string>()];
        List<CloudflareApiError> errors = [];
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array)
        {
            // The API's own words, without the token should an error echo it.
            errors = [.. (e.Deserialize(AdminJsonContext.Default.ListCloudflareApiError) ?? [])
                .Select(error => error with { Message = SecretRedaction.Redact(error.Message, secrets) ?? string.Empty })];
        }

        string detail = errors.Count > 0
            ? string.Join("; ", errors.Select(x => $"{x.Code.ToString(CultureInfo.InvariantCulture)} {x.Message}"))
            : document is not null ? "no error details" : "the answer was not Cloudflare's JSON envelope";
        return new CloudflareApiException(
            SecretRedaction.Redact($"Cloudflare API {method} {path} failed with {answer.Status} {answer.ReasonPhrase}: {detail}", secrets)!)
        {
            StatusCode = answer.Status,
            Errors = errors,
            RetryAfter = answer.RetryAfter,
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    /// <summary>What one call answered, read whole (the response is disposed by then).</summary>
    private readonly record struct Answer(int Status, string? ReasonPhrase, bool Success, byte[] Body, TimeSpan? RetryAfter);
}
