using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> whose requests go through Cloudflare AI Gateway, with the
/// same options as <see cref="AiGatewayChatClient"/>: routes for <c>openai</c>, <c>azure-openai</c>, <c>workers-ai</c>,
/// <c>mistral</c>, <c>google-ai-studio</c>, <c>compat</c>, <c>custom-*</c> and the REST form; the gateway's
/// <c>cf-aig-*</c> headers; and what it answered (<see cref="AiGatewayEmbeddingExtensions.GetGatewayInfo(GeneratedEmbeddings{Embedding{float}})"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each route's request goes through Microsoft.Extensions.AI.OpenAI's generator over the OpenAI SDK's embedding client,
/// on the same pipeline as the chat client (one place that knows the gateway). Many inputs are split into batches of
/// the provider's limit and answered in input order. A failure the fallback policy calls transient moves the batch to
/// the next route, and only between routes of the same model: vectors from two models cannot be compared, so a chain
/// that mixes models is refused when the options are validated.
/// </para>
/// <para>Thread-safe. When created through dependency injection it follows configuration reloads.</para>
/// </remarks>
public sealed class AiGatewayEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly RouteTableCache<EmbeddingRoutes> _routes;
    private readonly ILogger _logger;
    private readonly RoutePolicy _policy;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayEmbeddingGenerator"/> class with fixed options.</summary>
    /// <param name="options">The gateway, route and header settings (as for the chat client).</param>
    /// <param name="httpClient">The HTTP client to send with (its timeout should be infinite); a shared one when null.</param>
    /// <param name="logger">Receives one Debug line per answer and a Warning per failure (never content or secrets).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid for embeddings; the message names each bad key.</exception>
    public AiGatewayEmbeddingGenerator(AiGatewayOptions options, HttpClient? httpClient = null, ILogger<AiGatewayEmbeddingGenerator>? logger = null)
        : this(() => options, "AiGateway", httpClient ?? GatewayHttp.Shared, TimeProvider.System, logger, null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = _routes.Get();
    }

    internal AiGatewayEmbeddingGenerator(
        Func<AiGatewayOptions> currentOptions, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger, AiGatewayFallbackOptions? fallback)
    {
        _logger = logger ?? NullLogger.Instance;
        _routes = new(currentOptions, configurationPath, RouteOperation.Embeddings, table => new EmbeddingRoutes(table, httpClient), e => Log.ConfigurationRejected(_logger, e.Message));
        _policy = new RoutePolicy(fallback ?? new AiGatewayFallbackOptions(), timeProvider, _logger);
        _timeProvider = timeProvider;
    }

    internal AiGatewayEmbeddingGenerator(IOptionsMonitor<AiGatewayOptions> optionsMonitor, string optionsName, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger)
        : this(() => optionsMonitor.Get(optionsName), configurationPath, httpClient, timeProvider, logger, null)
    {
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">Every route failed for a batch, or the answer could not be read.</exception>
    /// <exception cref="ArgumentException">A request setting is invalid, or <see cref="EmbeddingGenerationOptions.Dimensions"/> was asked of a provider that does not take it.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var routes = _routes.Get().Routes;
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        if (inputs.Count == 0)
        {
            return [];
        }

        if (options?.Dimensions is not null && routes.FirstOrDefault(r => r.Route.Descriptor.Embeddings is { SupportsDimensions: false }) is { Route: var fixedSize })
        {
            throw new ArgumentException(
                $"{fixedSize.ConfigurationPath}: {fixedSize.Provider} does not take dimensions; its model {fixedSize.Model} answers vectors of its own size.", nameof(options));
        }

        // Every route of the chain must accept a batch, so the smallest limit applies.
        int batchSize = routes.Min(r => r.Route.Descriptor.Embeddings?.MaxBatchSize ?? int.MaxValue);
        var generated = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        var attempts = new List<AiGatewayAttempt>();
        AiGatewayResponseInfo? last = null;
        GatewayResponseHeaders? lastHeaders = null;
        for (int offset = 0; offset < inputs.Count; offset += batchSize)
        {
            var batch = Slice(inputs, offset, batchSize);
            var (embeddings, info, headers) = await GenerateBatchAsync(routes, batch, options, cancellationToken).ConfigureAwait(false);
            foreach (var embedding in embeddings)
            {
                (embedding.AdditionalProperties ??= [])[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
                generated.Add(embedding);
            }

            generated.Usage = Add(generated.Usage, embeddings.Usage);
            attempts.AddRange(info.Attempts);
            (last, lastHeaders) = (info, headers);
        }

        generated.AdditionalProperties = [];
        generated.AdditionalProperties[AiGatewayResponseInfo.AdditionalPropertiesKey] = last! with { Attempts = attempts };
        lastHeaders?.CopyTo(generated.AdditionalProperties);
        return generated;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _routes.Get().Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the caller or to IHttpClientFactory.
    }

    /// <summary>One batch on the first route that answers, by the route policy chat fallback uses: in order, skipping routes in cooldown, moving on after transient failures.</summary>
    private async Task<(GeneratedEmbeddings<Embedding<float>> Embeddings, AiGatewayResponseInfo Info, GatewayResponseHeaders Headers)> GenerateBatchAsync(
        IReadOnlyList<EmbeddingRoute> routes, IReadOnlyList<string> batch, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        if (routes.Count == 1)
        {
            return await SendAsync(routes[0], batch, options, cancellationToken).ConfigureAwait(false);
        }

        var failed = new List<AiGatewayAttempt>();
        Exception? lastFailure = null;
        for (int next = _policy.Next(routes, static r => r.Route, 0, false, failed); next >= 0; next = _policy.Next(routes, static r => r.Route, next + 1, true, failed))
        {
            var route = routes[next];
            using var span = AttemptSpans.Start(route.Route);
            try
            {
                var (embeddings, info, headers) = await SendAsync(route, batch, options, cancellationToken).ConfigureAwait(false);
                _policy.Succeeded(route.Route);
                AttemptSpans.Answered(span, route.Route, info);
                return (embeddings, info.AfterAttempts(failed), headers);
            }
            catch (AiGatewayException e) when (_policy.ShouldFallBack(e, cancellationToken))
            {
                AttemptSpans.Failed(span, route.Route, e);
                failed.AddRange(e.Attempts);
                _policy.FellBack(route.Route, e, e.Attempts[^1]);
                lastFailure = e;
            }
        }

        ExceptionDispatchInfo.Throw(lastFailure!);
        throw lastFailure!;
    }

    /// <summary>One batch on one route: Microsoft's generator sends it through the route's pipeline, with the gateway's headers and facts.</summary>
    private async Task<(GeneratedEmbeddings<Embedding<float>>, AiGatewayResponseInfo, GatewayResponseHeaders)> SendAsync(
        EmbeddingRoute route, IReadOnlyList<string> batch, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var call = GatewayCall.Start(route.Route, options?.AdditionalProperties, _timeProvider);
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            using var timeout = new WholeAnswerTimeout(call, cancellationToken);
            using (call.Begin())
            {
                embeddings = await route.Generator.GenerateAsync(batch, options, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (GatewayOutcome.IsGatewayFailure(e, cancellationToken))
        {
            throw GatewayOutcome.Failed(call, e, _logger);
        }

        return (embeddings, GatewayOutcome.Answered(call, _logger), call.ResponseHeaders);
    }

    private static IReadOnlyList<string> Slice(IReadOnlyList<string> inputs, int offset, int count) =>
        offset == 0 && inputs.Count <= count ? inputs : [.. inputs.Skip(offset).Take(count)];

    private static UsageDetails? Add(UsageDetails? total, UsageDetails? more)
    {
        if (more is null)
        {
            return total;
        }

        if (total is null)
        {
            return new UsageDetails { InputTokenCount = more.InputTokenCount, TotalTokenCount = more.TotalTokenCount };
        }

        total.Add(more);
        return total;
    }
}
