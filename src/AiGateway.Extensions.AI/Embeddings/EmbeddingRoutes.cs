using Microsoft.Extensions.AI;
using OpenAI.Embeddings;

namespace AiGateway.Extensions.AI;

/// <summary>The routes of an embedding generator's current options snapshot, each with Microsoft's generator over the OpenAI SDK's embedding client (made on first use).</summary>
internal sealed class EmbeddingRoutes
{
    public EmbeddingRoutes(RouteTable table, HttpClient httpClient)
    {
        Routes = [.. table.Routes.Select(route => new EmbeddingRoute(route, table.Options, httpClient))];
        Metadata = new(table.Primary.OpenTelemetryProviderName, table.Primary.Url, table.Primary.Model);
    }

    public IReadOnlyList<EmbeddingRoute> Routes { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }
}

/// <summary>One embeddings route and its generator, on the same OpenAI SDK pipeline as the chat routes.</summary>
internal sealed class EmbeddingRoute(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient)
{
    private readonly Lazy<IEmbeddingGenerator<string, Embedding<float>>> _generator = new(() =>
#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is how a route sends its own credential, or none.
        new EmbeddingClient(route.Model, new RouteCredentialPolicy(route.Credential), OpenAIRoutePipeline.CreateOptions(route.Url, options, httpClient)).AsIEmbeddingGenerator());
#pragma warning restore OPENAI001

    public AiGatewayRoute Route { get; } = route;

    public IEmbeddingGenerator<string, Embedding<float>> Generator => _generator.Value;
}
