using System.Text;

namespace AiGateway.Benchmarks;

/// <summary>The answers the in-memory handler gives: one chat completion, or 50 content chunks + a usage chunk + [DONE].</summary>
internal static class Payloads
{
    public static readonly byte[] Completion = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1731000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris. It has been the capital since the 10th century and is home to about two million people.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":27,"total_tokens":51,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}
        """);

    public static readonly byte[] Stream = BuildStream();

    /// <summary>One Anthropic Messages answer, in the shape of Anthropic's real ones.</summary>
    public static readonly byte[] AnthropicMessage = Encoding.UTF8.GetBytes("""
        {"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"The capital of France is Paris. It has been the capital since the 10th century and is home to about two million people."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":27,"service_tier":"standard"}}
        """);

    /// <summary>One 1,536-dimension embedding, base64 as OpenAI answers when the SDK asks for it.</summary>
    public static readonly byte[] Embeddings = Encoding.UTF8.GetBytes(
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"" +
        Convert.ToBase64String(new byte[1536 * 4]) + "\"}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");

    private static byte[] BuildStream()
    {
        var sse = new StringBuilder();
        const string head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,\"delta\":";
        for (int i = 0; i < 50; i++)
        {
            string delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"Word0\"}" : $"{{\"content\":\" word{i}\"}}";
            sse.Append("data: ").Append(head).Append(delta).Append(",\"logprobs\":null,\"finish_reason\":").Append(i == 49 ? "\"stop\"" : "null").Append("}],\"usage\":null}\n\n");
        }

        sse.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":50,\"total_tokens\":74}}\n\n");
        sse.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }
}

/// <summary>Answers every request at once from memory, so only client-side cost is measured.</summary>
internal sealed class InstantHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        bool stream = IsStreaming(request);
        bool embeddings = request.RequestUri!.AbsolutePath.EndsWith("/embeddings", StringComparison.Ordinal);
        bool messages = request.RequestUri!.AbsolutePath.EndsWith("/v1/messages", StringComparison.Ordinal);
        var content = new ByteArrayContent(messages ? Payloads.AnthropicMessage : embeddings ? Payloads.Embeddings : stream ? Payloads.Stream : Payloads.Completion);
        content.Headers.ContentType = new(stream ? "text/event-stream" : "application/json");
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.TryAddWithoutValidation("cf-aig-log-id", "01bench");
        response.Headers.TryAddWithoutValidation("cf-aig-cache-status", "MISS");
        return response;
    }

    /// <summary>Streaming requests are told apart by the path the benchmark chose (an account named "stream").</summary>
    private static bool IsStreaming(HttpRequestMessage request) => request.RequestUri!.AbsolutePath.Contains("/stream/", StringComparison.Ordinal);
}
