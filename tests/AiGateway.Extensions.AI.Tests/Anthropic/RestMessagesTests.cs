using System.Text.Json;
using AiGateway.Emulator;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Anthropic;

/// <summary>
/// On the REST form (<c>EndpointKind: CloudflareApi</c>) provider <c>anthropic</c> speaks Anthropic's own Messages
/// format at <c>/ai/v1/messages</c>, on the Anthropic SDK's client; and whatever headers reach the SDK (its environment's
/// <c>ANTHROPIC_CUSTOM_HEADERS</c>, a request's raw headers) carry no credential, no gateway setting and no other API version.
/// </summary>
public sealed class RestMessagesTests
{
    private const string Model = "claude-sonnet-4-5";

    private static AiGatewayOptions RestOptions(Uri? cloudflareApi = null)
    {
        var options = TestOptions.ForCloudflareApi(provider: "anthropic", model: Model);
        if (cloudflareApi is not null)
        {
            options.CloudflareApiEndpoint = cloudflareApi;
            options.GatewayId = "default";
        }

        return options;
    }

    [Fact]
    public async Task Requests_GoToAiV1Messages_InAnthropicsFormat_WithTheCloudflareTokenAsTheOnlyCredential()
    {
        var handler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        using (var client = TestOptions.Client(RestOptions(), handler))
        {
            await client.GetResponseAsync("Hi");
        }

        var request = handler.SoleRequest;
        Assert.Equal("/client/v4/accounts/acct123/ai/v1/messages", request.PathAndQuery);
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("Authorization"));
        Assert.Null(request.Header("x-api-key"));
        Assert.Null(request.Header("cf-aig-authorization"));
        Assert.Equal("gw", request.Header("cf-aig-gateway-id"));
        Assert.Equal("2026-10-21", request.Header("anthropic-version"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("anthropic/" + Model, body.RootElement.GetProperty("model").GetString());
        Assert.Equal(AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens, body.RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAICompatible_StaysOnAiV1ChatCompletions()
    {
        var options = RestOptions();
        options.OpenAICompatible = true;
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using (var client = TestOptions.Client(options, handler))
        {
            await client.GetResponseAsync("Hi");
        }

        Assert.Equal("/client/v4/accounts/acct123/ai/v1/chat/completions", handler.SoleRequest.PathAndQuery);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnTheEmulator_TheRestMessagesEndpointAnswers(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(RestOptions(emulator.ControlPlaneEndpoint));

        var response = streaming
            ? await client.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync()
            : await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal("anthropic", log.Provider);
        Assert.Equal(Model, log.Model);
        Assert.Equal(log.Id, response.GetGatewayInfo()!.LogId);
    }

    [Fact]
    public async Task OnTheEmulator_SamplingFieldsSentDeliberately_AreRefusedAsAnthropicRefusesThem()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(RestOptions(emulator.ControlPlaneEndpoint));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi", new ChatOptions().WithExtraBody("temperature", 0.3)));

        Assert.Equal(AiGatewayErrorKind.BadRequest, error.Kind);
        Assert.Equal("invalid_request_error", error.ProviderErrorType);
    }

    /// <summary>
    /// The SDK sends the headers of its environment (<c>ANTHROPIC_CUSTOM_HEADERS</c>, read once per process) and of a
    /// request's raw parameters the same way: as headers it adds to the request. Through the raw parameters, a request
    /// tries every header that environment could set.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HeadersTheSdkAdds_CarryNoCredential_NoGatewaySetting_AndNoOtherApiVersion(bool rest)
    {
        var options = rest ? RestOptions() : TestOptions.Create(provider: "anthropic", model: Model);
        if (!rest)
        {
            options.ApiKey = null;
        }

        var injected = new Dictionary<string, JsonElement>
        {
            ["anthropic-version"] = JsonSerializer.SerializeToElement("2023-06-01"),
            ["x-api-key"] = JsonSerializer.SerializeToElement("sk-ant-from-the-environment"),
            ["Authorization"] = JsonSerializer.SerializeToElement("Bearer from-the-environment"),
            ["cf-aig-authorization"] = JsonSerializer.SerializeToElement("Bearer cf-from-the-environment"),
            ["cf-aig-skip-cache"] = JsonSerializer.SerializeToElement("true"),
            ["x-custom"] = JsonSerializer.SerializeToElement("kept"),
        };
        var chatOptions = new ChatOptions
        {
            RawRepresentationFactory = _ => MessageCreateParams.FromRawUnchecked(injected, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>
            {
                ["max_tokens"] = JsonSerializer.SerializeToElement(100),
                ["model"] = JsonSerializer.SerializeToElement(Model),
                ["messages"] = JsonSerializer.SerializeToElement(Array.Empty<object>()),
            }),
        };
        var handler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        using (var client = TestOptions.Client(options, handler))
        {
            await client.GetResponseAsync("Hi", chatOptions);
        }

        var request = handler.SoleRequest;
        Assert.Equal("kept", request.Header("x-custom"));
        Assert.Equal("2026-10-21", request.Header("anthropic-version"));
        Assert.Null(request.Header("x-api-key"));
        Assert.Null(request.Header("cf-aig-authorization"));
        Assert.Null(request.Header("cf-aig-skip-cache"));
        Assert.Equal(rest ? "Bearer " + TestOptions.Token : null, request.Header("Authorization"));
    }

    /// <summary>The version a Messages route pins is the one the SDK's own client sends: bumping the SDK to another version fails here until someone decides.</summary>
    [Fact]
    public async Task ThePinnedVersion_IsTheOneTheSdksOwnClientSends()
    {
        var handler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        using (var theirs = new global::Anthropic.AnthropicClient(new global::Anthropic.Core.ClientOptions
        {
            HttpClient = new HttpClient(handler), BaseUrl = "http://gateway.test/anthropic", ApiKey = "k", MaxRetries = 0, OpenTelemetry = false,
        }).AsIChatClient(Model, 10))
        {
            await theirs.GetResponseAsync("Hi");
        }

        Assert.Equal("2026-10-21", handler.SoleRequest.Header("anthropic-version"));
    }
}
