using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK's authentication step for one route: sends the route's <see cref="RouteCredential"/> (whatever its
/// header) or nothing at all, so no SDK placeholder key ever reaches the wire.
/// </summary>
internal sealed class RouteCredentialPolicy(RouteCredential? credential) : AuthenticationPolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Apply(PipelineMessage message)
    {
        if (credential is not null)
        {
            message.Request.Headers.Set(credential.Header, credential.Value);
        }
    }
}
