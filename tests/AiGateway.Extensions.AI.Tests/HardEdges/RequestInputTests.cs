using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// A request's own mistake is the request's failure: header values are checked where the caller sets them, and no
/// per-request input can count against a route's health. Configuration stays inside its URL.
/// </summary>
public sealed class RequestInputTests
{
    [Theory]
    [InlineData("user-é")]
    [InlineData("line\u2028separator")]
    [InlineData("nul\0")]
    [InlineData("bell\u0007")]
    public void HeaderValues_AreCheckedWhereTheCallerSetsThem(string value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ChatOptions().WithGatewayEventId(value));

        Assert.Contains(AiGatewayHeaderNames.EventId, error.Message, StringComparison.Ordinal);
        Assert.Contains("printable ASCII", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderValue_HasALengthLimit()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ChatOptions().WithGatewayCacheKey(new string('k', 5000)));

        Assert.Contains("at most 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataValues_MayBeAnyText_TheyTravelEscapedInJson()
    {
        var options = new ChatOptions().WithGatewayMetadata("user", "Zoë");

        Assert.Equal("Zoë", ((IEnumerable<KeyValuePair<string, object?>>)options.AdditionalProperties![AiGatewayHeaderNames.Metadata]!).Single().Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoPerRequestInput_PutsARouteIntoCooldown(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var chat = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback(f => f.FailureThreshold = 1).Build();

        // Set directly (not through WithGatewayEventId), so the bad value reaches the request.
        var bad = new ChatOptions { AdditionalProperties = new() { [AiGatewayHeaderNames.EventId] = "user-é" } };
        for (int i = 0; i < 3; i++)
        {
            var error = streaming
                ? await Assert.ThrowsAsync<ArgumentException>(async () => await chat.GetStreamingResponseAsync("Hi", bad).ToChatResponseAsync())
                : await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync("Hi", bad));
            Assert.Contains(AiGatewayHeaderNames.EventId, error.Message, StringComparison.Ordinal);
        }

        var response = await chat.GetResponseAsync("What is the capital of France?");

        var attempt = Assert.Single(response.GetGatewayInfo()!.Attempts);
        Assert.Equal((0, false), (attempt.RouteIndex, attempt.Skipped));
    }

    [Theory]
    [InlineData("GatewayId", "..")]
    [InlineData("GatewayId", "my gateway")]
    [InlineData("GatewayId", "MyGateway")]
    [InlineData("AccountId", "../other")]
    [InlineData("CustomPath", "../../../../evil?q=1#f")]
    [InlineData("CustomPath", "v1/./chat")]
    public void ConfigurationStaysInsideItsUrl(string key, string value)
    {
        var options = TestOptions.Create(provider: key == "CustomPath" ? "custom-acme" : "openai");
        switch (key)
        {
            case "GatewayId": options.GatewayId = value; break;
            case "AccountId": options.AccountId = value; break;
            default: options.CustomPath = value; break;
        }

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains($"AiGateway:{key} '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ResourceName")]
    [InlineData("DeploymentName")]
    public void AzureNames_CannotClimbOutOfTheirSegment(string name)
    {
        var options = TestOptions.Create(provider: "azure-openai");
        options.Azure = new AiGatewayAzureOptions { ResourceName = "r", DeploymentName = "d" };
        if (name == "ResourceName")
        {
            options.Azure.ResourceName = "..";
        }
        else
        {
            options.Azure.DeploymentName = "..";
        }

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains($"AiGateway:Azure:{name} '..' is not a name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://user:s3cret-pass@gateway.example/v1", "must not contain a user name or password")]
    [InlineData("https://gateway.example/v1?x=1", "must not have a query or fragment")]
    [InlineData("https://gateway.example/v1#f", "must not have a query or fragment")]
    public void AnEndpoint_HasNoUserInfoQueryOrFragment(string endpoint, string problem)
    {
        var options = TestOptions.Create();
        options.Endpoint = new Uri(endpoint);

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Endpoint " + problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", error.Message, StringComparison.Ordinal);
    }
}
