using System.Text;
using System.Text.Json.Nodes;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>Requests and answers in the sample's terms.</summary>
internal static class Http
{
    public const string Question = """{"message": "What is the capital of France?"}""";

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Post(string path, string body = Question) => new(HttpMethod.Post, path) { Content = Json(body) };

    public static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return request;
    }

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
