namespace AiGateway.Extensions.AI.Tests;

public static class TestOptions
{
    public const string ApiKey = "sk-test-provider-key-0123456789";
    public const string Token = "cf-test-gateway-token-abcdef";

    public static AiGatewayOptions Create(Uri? root = null, string provider = "openai", string model = "gpt-4o-mini") => new()
    {
        Endpoint = new Uri((root ?? new Uri("http://gateway.test")).AbsoluteUri.TrimEnd('/') + "/v1"),
        AccountId = "acct123",
        GatewayId = "gw",
        Provider = provider,
        Model = model,
        ApiKey = ApiKey,
    };

    /// <summary>Options pointing at an emulator's gateway (the emulator's <c>default</c> gateway unless named).</summary>
    public static AiGatewayOptions ForEmulator(AiGateway.Emulator.AiGatewayEmulator emulator, string provider = "openai", string model = "gpt-4o-mini", string gateway = "default")
    {
        var options = Create(provider: provider, model: model);
        options.Endpoint = emulator.GatewayEndpoint;
        options.GatewayId = gateway;
        return options;
    }

    /// <summary>Options for the Cloudflare REST form: the token as Authorization, no provider key.</summary>
    public static AiGatewayOptions ForCloudflareApi(string provider = "openai", string model = "gpt-4o-mini")
    {
        var options = Create(provider: provider, model: model);
        options.ApiKey = null;
        options.Token = Token;
        options.EndpointKind = AiGatewayEndpointKind.CloudflareApi;
        return options;
    }

    public static AiGatewayChatClient Client(AiGatewayOptions options, RecordingHandler handler) =>
        new(options, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
}
