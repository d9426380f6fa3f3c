using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK pipeline's side of a <see cref="GatewayCall"/>: stamps the current call's headers on the request and
/// notes the response. Requests made outside a call pass untouched.
/// </summary>
internal sealed class GatewayCallPolicy : PipelinePolicy
{
    public static GatewayCallPolicy Instance { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var call = Prepare(message);
        ProcessNext(message, pipeline, currentIndex);
        Complete(call, message);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var call = Prepare(message);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        Complete(call, message);
    }

    private static GatewayCall? Prepare(PipelineMessage message)
    {
        var call = GatewayCall.Current;
        call?.Stamp(message.Request.Headers, static (headers, name, value) => headers.Set(name, value));
        return call;
    }

    private static void Complete(GatewayCall? call, PipelineMessage message)
    {
        if (call is not null && message.Response is { } response)
        {
            call.Received(response);
        }
    }
}
