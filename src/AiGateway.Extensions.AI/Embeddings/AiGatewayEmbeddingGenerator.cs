using System.ClientModel;
using System.Diagnostics;
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
    private readonly GatewayStateCache _states;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AiGatewayFallbackOptions _fallback;
    private readonly RouteHealth _health;

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
        _ = _states.Get();
    }

    internal AiGatewayEmbeddingGenerator(
        Func<AiGatewayOptions> currentOptions, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger, AiGatewayFallbackOptions? fallback)
    {
        _states = new GatewayStateCache(currentOptions, configurationPath, RouteOperation.Embeddings, httpClient, this);
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _fallback = fallback ?? new AiGatewayFallbackOptions();
        _health = new RouteHealth(_fallback, timeProvider);
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
        var state = _states.Get();
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        if (inputs.Count == 0)
        {
            return [];
        }

        var routes = state.RouteSet.Routes;
        if (options?.Dimensions is not null && routes.FirstOrDefault(r => r.Route.Descriptor.Embeddings is { SupportsDimensions: false }) is { } fixedSize)
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
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            var primary = _states.Get().Table.Primary;
            return new EmbeddingGeneratorMetadata(primary.OpenTelemetryProviderName, primary.Url, primary.Model);
        }

        return serviceType == typeof(AiGatewayRouteSet) ? _states.Get().RouteSet
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the caller or to IHttpClientFactory.
    }

    /// <summary>One batch on the first route that answers: in order, skipping routes in cooldown, moving on after transient failures.</summary>
    private async Task<(GeneratedEmbeddings<Embedding<float>> Embeddings, AiGatewayResponseInfo Info, GatewayResponseHeaders Headers)> GenerateBatchAsync(
        IReadOnlyList<AiGatewayRouteInfo> routes, IReadOnlyList<string> batch, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var failed = new List<AiGatewayAttempt>();
        AiGatewayException? lastFailure = null;
        var available = routes.Count == 1 ? routes : _health.Available(routes, (Failed: failed, Logger: _logger), static (route, state) =>
        {
            state.Failed.Add(new(route.Index, route.Provider, route.Model, null, null, TimeSpan.Zero, Skipped: true));
            GatewayInstruments.Skipped(state.Logger, route);
        });
        foreach (var route in available)
        {
            try
            {
                var (embeddings, info, headers) = await SendAsync(route.Route, route.Transport, batch, options, cancellationToken).ConfigureAwait(false);
                _health.Succeeded(route.Id);
                return (embeddings, failed.Count == 0 ? info : info with { Attempts = [.. failed, .. info.Attempts] }, headers);
            }
            catch (AiGatewayException e) when (routes.Count > 1 && _fallback.ShouldFallBack(e))
            {
                _health.Failed(route.Id, e);
                failed.AddRange(e.Attempts);
                lastFailure = e;
                GatewayInstruments.CountFallback(route, e.Kind);
            }
        }

        throw lastFailure!;
    }

    private async Task<(GeneratedEmbeddings<Embedding<float>>, AiGatewayResponseInfo, GatewayResponseHeaders)> SendAsync(
        AiGatewayRoute route, RouteTransport transport, IReadOnlyList<string> batch, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var (settings, headers) = GatewayRequestSettings.For(route, options?.AdditionalProperties);
        var span = Activity.Current;
        var call = new GatewayCall(GatewayRequestSettings.WithTraceContext(headers, span));
        long started = _timeProvider.GetTimestamp();
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            using (call.Begin())
            {
                embeddings = await transport.Embeddings.GenerateAsync(batch, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClientResultException e) when (e.GetRawResponse() is { } response)
        {
            var content = response.Content;
            throw Failed(span, GatewayErrorFactory.FromResponse(route, response, content, _timeProvider.GetElapsedTime(started), _timeProvider));
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw Failed(span, GatewayErrorFactory.FromException(route, e is ClientResultException or System.Text.Json.JsonException or FormatException
                ? new InvalidDataException("The embeddings answer could not be read: " + e.Message, e)
                : e, _timeProvider.GetElapsedTime(started), call.ResponseHeaders?.LogId));
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        var gatewayHeaders = call.ResponseHeaders ?? GatewayResponseHeaders.Empty;
        var info = GatewayResponseReader.ReadInfo(route, gatewayHeaders, elapsed, call.Status ?? 200, settings.EventId);
        GatewayInstruments.Answered(_logger, span, info, call.Status ?? 200, elapsed);
        return (embeddings, info, gatewayHeaders);
    }

    private AiGatewayException Failed(Activity? span, AiGatewayException error) => GatewayInstruments.Failed(_logger, span, error);

    /// <summary>A failure of the network, the gateway or the provider's data; the caller's cancellation and bugs pass as they are.</summary>
    private static bool IsGatewayFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or InvalidDataException or TimeoutException or ClientResultException
            or System.Text.Json.JsonException or FormatException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

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
