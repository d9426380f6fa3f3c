using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Reads the gateway's facts from generated embeddings.</summary>
public static class AiGatewayEmbeddingExtensions
{
    /// <summary>
    /// Gets what the gateway said about these embeddings. When the inputs were split into batches, this describes the
    /// last batch's request, and <see cref="AiGatewayResponseInfo.Attempts"/> lists every request; each embedding also
    /// carries its own batch's facts (<see cref="GetGatewayInfo(Embedding)"/>).
    /// </summary>
    /// <param name="embeddings">Embeddings from an <see cref="AiGatewayEmbeddingGenerator"/> (directly or through delegating generators).</param>
    /// <returns>The gateway info, or <see langword="null"/> when the embeddings did not come through the gateway generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="embeddings"/> is <see langword="null"/>.</exception>
    public static AiGatewayResponseInfo? GetGatewayInfo(this GeneratedEmbeddings<Embedding<float>> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return AiGatewayResponseExtensions.Find(embeddings.AdditionalProperties);
    }

    /// <summary>Gets what the gateway said about the request that produced this embedding (its batch's cache status and log id).</summary>
    /// <param name="embedding">An embedding from an <see cref="AiGatewayEmbeddingGenerator"/>.</param>
    /// <returns>The gateway info, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="embedding"/> is <see langword="null"/>.</exception>
    public static AiGatewayResponseInfo? GetGatewayInfo(this Embedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        return AiGatewayResponseExtensions.Find(embedding.AdditionalProperties);
    }
}
