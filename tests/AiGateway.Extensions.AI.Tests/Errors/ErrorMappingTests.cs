using System.Net;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Errors;

public sealed class ErrorMappingTests
{
    private static async Task<AiGatewayException> FailAsync(HttpStatusCode status, string body, params (string, string)[] headers)
    {
        var handler = new RecordingHandler(body, status, headers);
        var options = TestOptions.Create();
        options.Token = TestOptions.Token;
        using var client = TestOptions.Client(options, handler);
        return await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hello"));
    }

    [Fact]
    public async Task OpenAIInvalidKey_IsAnAuthenticationErrorWithTheProviderCode()
    {
        var error = await FailAsync(HttpStatusCode.Unauthorized, Fixtures.Text("openai/error-401-invalid-api-key.json"), ("cf-aig-log-id", "log-401"));

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("invalid_api_key", error.ProviderErrorCode);
        Assert.Equal("invalid_request_error", error.ProviderErrorType);
        Assert.Equal("log-401", error.LogId);
        Assert.Null(error.GatewayErrorCode);
        Assert.Contains("log id log-401", error.Message);
        Assert.Equal("openai", error.Provider);
        Assert.Equal("gpt-4o-mini", error.Model);
    }

    [Fact]
    public async Task InsufficientQuota_IsRateLimitedButTellsItsCodeApartFromRateLimitExceeded()
    {
        var error = await FailAsync(HttpStatusCode.TooManyRequests, Fixtures.Text("openai/error-429-insufficient-quota.json"), ("Retry-After", "7"));

        Assert.Equal(AiGatewayErrorKind.RateLimited, error.Kind);
        Assert.Equal("insufficient_quota", error.ProviderErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public async Task RetryAfterMilliseconds_WinsOverSeconds()
    {
        var error = await FailAsync(HttpStatusCode.TooManyRequests, "{}", ("retry-after-ms", "1500"), ("Retry-After", "2"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.RetryAfter);
    }

    [Fact]
    public async Task UnknownGateway_IsAGatewayErrorWithCode2001()
    {
        var error = await FailAsync(HttpStatusCode.BadRequest, Fixtures.Text("cloudflare-gateway/error-2001-gateway-not-configured.json"));

        Assert.Equal(AiGatewayErrorKind.GatewayError, error.Kind);
        Assert.Equal(2001, error.GatewayErrorCode);
        Assert.Contains("gateway code 2001", error.Message);
    }

    [Fact]
    public async Task UnauthorizedGateway_IsAnAuthenticationErrorWithCode2009()
    {
        var error = await FailAsync(HttpStatusCode.Unauthorized, Fixtures.Text("cloudflare-gateway/error-2009-unauthorized.json"));

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal(2009, error.GatewayErrorCode);
        Assert.Equal("Unauthorized", error.ProviderMessage);
    }

    [Theory]
    [InlineData(402, 2021, AiGatewayErrorKind.InsufficientCredits, true)]
    [InlineData(400, 2040, AiGatewayErrorKind.BadRequest, false)]
    [InlineData(503, 7013, AiGatewayErrorKind.GatewayError, false)]
    public async Task GatewayCodes_AreClassified_AndOnlyExhaustedCreditsFallBack(int status, int code, AiGatewayErrorKind kind, bool transient)
    {
        string body = $$"""{"success":false,"result":[],"messages":[],"error":[{"code":{{code}},"message":"gateway says no"}]}""";

        var error = await FailAsync((HttpStatusCode)status, body);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.GatewayErrorCode);
        Assert.Equal(transient, AiGatewayFallbackOptions.IsTransient(error));
    }

    [Fact]
    public async Task Unauthorized2009_WithoutAToken_SaysWhichSettingToSet()
    {
        var handler = new RecordingHandler(Fixtures.Text("cloudflare-gateway/error-2009-unauthorized.json"), HttpStatusCode.Unauthorized);
        var options = TestOptions.Create();
        options.GatewayId = "default";
        using var client = TestOptions.Client(options, handler);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hello"));

        Assert.Contains("AiGateway:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains("'default'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewerGatewayBodies_WithNameAndInternalCode_AreRead_AndRestForm2009PointsAtTheStoredKey()
    {
        var handler = new RecordingHandler(
            """{"success":false,"result":[],"messages":[],"error":[{"code":2009,"message":"Unauthorized"}],"name":"AiGatewayError","internalCode":"provider_auth"}""",
            HttpStatusCode.Unauthorized);
        var options = TestOptions.ForCloudflareApi();
        using var client = TestOptions.Client(options, handler);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hello"));

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal(2009, error.GatewayErrorCode);
        Assert.Equal("Unauthorized", error.ProviderMessage);
        Assert.Contains("openai key stored in the gateway (BYOK)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AiGateway:Token to", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(424, 2016)]
    [InlineData(424, 2017)]
    [InlineData(400, 2029)]
    [InlineData(400, 2030)]
    public async Task GuardrailAndDlpBlocks_AreBlocked(int status, int code)
    {
        string body = $$"""{"success":false,"result":[],"messages":[],"error":[{"code":{{code}},"message":"blocked"}]}""";

        var error = await FailAsync((HttpStatusCode)status, body, ("cf-aig-dlp", Fixtures.Text("cloudflare-gateway/dlp-header-cf-aig-dlp-example.json").ReplaceLineEndings("")));

        Assert.Equal(AiGatewayErrorKind.Blocked, error.Kind);
        Assert.Equal(code, error.GatewayErrorCode);
        Assert.NotNull(error.Dlp);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "openai/error-400-invalid-function-parameters.json", AiGatewayErrorKind.BadRequest, "invalid_function_parameters")]
    [InlineData(HttpStatusCode.BadRequest, "groq/error-400-tool-use-failed.json", AiGatewayErrorKind.BadRequest, "tool_use_failed")]
    [InlineData(HttpStatusCode.NotFound, "groq/error-404-model-not-found.json", AiGatewayErrorKind.NotFound, "model_not_found")]
    [InlineData(HttpStatusCode.TooManyRequests, "openrouter/error-429-upstream-rate-limited.json", AiGatewayErrorKind.RateLimited, "429")]
    [InlineData(HttpStatusCode.TooManyRequests, "anthropic/error-429-rate-limit.json", AiGatewayErrorKind.RateLimited, null)]
    [InlineData(HttpStatusCode.RequestTimeout, "{}", AiGatewayErrorKind.Timeout, null)]
    [InlineData(HttpStatusCode.Forbidden, "{}", AiGatewayErrorKind.Authentication, null)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "{}", AiGatewayErrorKind.BadRequest, null)]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", AiGatewayErrorKind.ProviderError, null)]
    public async Task ProviderErrors_AreClassified(HttpStatusCode status, string fixtureOrBody, AiGatewayErrorKind kind, string? code)
    {
        string body = fixtureOrBody.EndsWith(".json", StringComparison.Ordinal) ? Fixtures.Text(fixtureOrBody) : fixtureOrBody;

        var error = await FailAsync(status, body);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.ProviderErrorCode);
        Assert.Equal((int)status, error.StatusCode);
        var attempt = Assert.Single(error.Attempts);
        Assert.Equal(kind, attempt.ErrorKind);
    }

    [Fact]
    public async Task AnthropicErrorType_IsKept()
    {
        var error = await FailAsync(HttpStatusCode.TooManyRequests, Fixtures.Text("anthropic/error-429-rate-limit.json"));

        Assert.Equal("rate_limit_error", error.ProviderErrorType);
        Assert.NotNull(error.ProviderMessage);
    }

    [Fact]
    public async Task SecretsEchoedByTheProvider_AreRedactedFromEveryMessage()
    {
        string body = $$$"""{"error":{"message":"Incorrect API key provided: {{{TestOptions.ApiKey}}}. Token {{{TestOptions.Token}}}","type":"invalid_request_error","code":"invalid_api_key"}}""";

        var error = await FailAsync(HttpStatusCode.Unauthorized, body);

        Assert.DoesNotContain(TestOptions.ApiKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.Token, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ProviderMessage!, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", error.ProviderMessage);
    }
}
