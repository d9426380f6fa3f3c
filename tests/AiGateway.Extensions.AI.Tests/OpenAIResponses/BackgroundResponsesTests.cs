using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.OpenAIResponses;

/// <summary>
/// Background responses as Microsoft's Responses client supports them: the request asks for one, the answer carries a
/// continuation token, and the next call polls <c>GET {gateway}/openai/responses/{id}</c> through the same transport.
/// </summary>
public sealed class BackgroundResponsesTests
{
    [Fact]
    public async Task AQueuedResponse_IsPolledThroughTheGateway_WithItsHeaders()
    {
        var queued = JsonNode.Parse(Fixtures.Text("openai-responses/response-text.json"))!.AsObject();
        queued["status"] = "queued";
        queued["background"] = true;
        queued["output"] = new JsonArray();
        var handler = new RecordingHandler(request => RecordingHandler.Json(request.Method == HttpMethod.Post ? queued.ToJsonString() : Fixtures.Text("openai-responses/response-text.json")));
        var options = TestOptions.Create();
        options.Api = AiGatewayApi.Responses;
        options.Token = TestOptions.Token;
        using var client = TestOptions.Client(options, handler);

        var first = await client.GetResponseAsync("Hello", new ChatOptions { AllowBackgroundResponses = true });
        Assert.NotNull(first.ContinuationToken);
        var done = await client.GetResponseAsync([], new ChatOptions { AllowBackgroundResponses = true, ContinuationToken = first.ContinuationToken });

        Assert.Equal("Hello.", done.Text);
        var requests = handler.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("\"background\":true", requests[0].BodyText.Contains("\"background\":true", StringComparison.Ordinal) ? "\"background\":true" : requests[0].BodyText);
        Assert.Equal("GET", requests[1].Method);
        Assert.StartsWith("/v1/acct123/gw/openai/responses/resp_09163d12481226a80068c9ef4ce6848194bc5be7e0c05c5f93", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("Bearer " + TestOptions.Token, requests[1].Header("cf-aig-authorization"));
        Assert.Equal("Bearer " + TestOptions.ApiKey, requests[1].Header("Authorization"));
        Assert.NotNull(done.GetGatewayInfo());
    }
}
