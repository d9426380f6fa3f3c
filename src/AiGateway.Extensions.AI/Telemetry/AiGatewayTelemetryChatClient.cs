using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// OpenTelemetry for chat calls through the gateway: one <c>chat {model}</c> client span per call with the GenAI
/// semantic conventions' attributes plus the gateway's facts (<c>aigateway.*</c>), and the conventions' duration and
/// token metrics, time to first chunk and time per output chunk for streams, and a request counter by provider,
/// outcome and cache status. Add it with <c>.UseTelemetry()</c>, outermost (before <c>.UseFallback()</c>), so each
/// fallback attempt is a child span.
/// </summary>
/// <remarks>
/// Message content (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>) is
/// recorded only when <see cref="EnableSensitiveData"/> is set or <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>.
/// API keys and tokens are never recorded.
/// </remarks>
public sealed class AiGatewayTelemetryChatClient : DelegatingChatClient
{
    private static readonly Histogram<double> s_duration = AiGatewayTelemetry.Meter.CreateHistogram(
        GenAiNames.OperationDurationMetric, "s", "GenAI operation duration.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiNames.DurationBuckets });

    private static readonly Histogram<int> s_tokens = AiGatewayTelemetry.Meter.CreateHistogram(
        GenAiNames.TokenUsageMetric, "{token}", "Measures number of input and output tokens used.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = GenAiNames.TokenBuckets });

    private static readonly Histogram<double> s_timeToFirstChunk = AiGatewayTelemetry.Meter.CreateHistogram(
        GenAiNames.TimeToFirstChunkMetric, "s", "Time to receive the first chunk of a streaming response.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiNames.DurationBuckets });

    private static readonly Histogram<double> s_timePerChunk = AiGatewayTelemetry.Meter.CreateHistogram(
        GenAiNames.TimePerOutputChunkMetric, "s", "Time between consecutive chunks of a streaming response.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiNames.DurationBuckets });

    private static readonly Counter<long> s_requests = AiGatewayTelemetry.Meter.CreateCounter<long>(
        GenAiNames.RequestsMetric, "{request}", "Chat requests through AI Gateway, by provider, outcome and cache status.");

    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayTelemetryChatClient"/> class.</summary>
    /// <param name="innerClient">The client to observe; an <see cref="AiGatewayChatClient"/> should be reachable with <c>GetService</c>.</param>
    /// <param name="timeProvider">The clock for durations; the system clock when null.</param>
    public AiGatewayTelemetryChatClient(IChatClient innerClient, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        EnableSensitiveData = string.Equals(Environment.GetEnvironmentVariable(AiGatewayTelemetry.CaptureMessageContentVariable), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gets or sets a value indicating whether message content is recorded on spans. Off unless the environment opts in.</summary>
    public bool EnableSensitiveData { get; set; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = Start(messages, options, streaming: false);
        try
        {
            var response = await base.GetResponseAsync(call.Messages, options, cancellationToken).ConfigureAwait(false);
            call.Complete(response, response.GetGatewayInfo());
            return response;
        }
        catch (Exception e)
        {
            call.Fail(e);
            throw;
        }
        finally
        {
            call.Dispose();
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = Start(messages, options, streaming: true);

        // The span needs the stream's summary, not the stream: updates are kept only when content is recorded.
        var summary = new ChatResponse();
        List<ChatResponseUpdate>? updates = EnableSensitiveData ? [] : null;
        AiGatewayResponseInfo? info = null;
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            enumerator = base.GetStreamingResponseAsync(call.Messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e)
        {
            call.Fail(e);
            call.Dispose();
            throw;
        }

        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                    call.Chunk();
                    info = update.GetGatewayInfo() ?? info;
                    Summarize(summary, update);
                    updates?.Add(update);
                }
                catch (Exception e)
                {
                    call.Fail(e);
                    throw;
                }

                yield return update;
            }

            if (updates is not null)
            {
                summary.Messages = updates.ToChatResponse().Messages;
            }

            call.Complete(summary, info);
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            call.Dispose();
        }
    }

    /// <summary>Keeps what the span and metrics report: the first id, model and finish reason, and the usage.</summary>
    private static void Summarize(ChatResponse summary, ChatResponseUpdate update)
    {
        summary.ResponseId ??= update.ResponseId;
        summary.ModelId ??= update.ModelId;
        summary.FinishReason ??= update.FinishReason;
        var contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent usage)
            {
                (summary.Usage ??= new()).Add(usage.Details);
            }
        }
    }

    private TrackedCall Start(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var state = InnerClient.GetService<AiGatewayChatClient>()?.GetState();
        var primary = state?.Table.Primary;
        string model = options?.ModelId is { Length: > 0 } modelId ? modelId : primary?.Model ?? "unknown";
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var activity = AiGatewayTelemetry.Source.StartActivity($"chat {model}", ActivityKind.Client);
        var call = new TrackedCall(this, activity, history, streaming, model, primary?.OpenTelemetryProviderName ?? "unknown", primary?.ChatCompletionsUrl, state?.Table.Options.GatewayId);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiNames.OperationName, "chat")
                .SetTag(GenAiNames.ProviderName, call.Provider)
                .SetTag(GenAiNames.RequestModel, model)
                .SetTag(AiGatewayTelemetry.Attributes.GatewayId, call.GatewayId);
            if (call.Server is { } server)
            {
                activity.SetTag(GenAiNames.ServerAddress, server.Host).SetTag(GenAiNames.ServerPort, server.Port);
            }

            if (options is not null)
            {
                SetOptionTags(activity, options);
            }

            if (EnableSensitiveData)
            {
                activity.SetTag(GenAiNames.InputMessages, MessageJson.Write(history, null));
                if (!string.IsNullOrWhiteSpace(options?.Instructions))
                {
                    activity.SetTag(GenAiNames.SystemInstructions, MessageJson.WriteInstructions(options.Instructions));
                }
            }
        }

        return call;
    }

    private static void SetOptionTags(Activity activity, ChatOptions options)
    {
        if (options.Temperature is { } temperature)
        {
            activity.SetTag(GenAiNames.RequestTemperature, (double)temperature);
        }

        if (options.TopP is { } topP)
        {
            activity.SetTag(GenAiNames.RequestTopP, (double)topP);
        }

        if (options.TopK is { } topK)
        {
            activity.SetTag(GenAiNames.RequestTopK, topK);
        }

        if (options.MaxOutputTokens is { } maxTokens)
        {
            activity.SetTag(GenAiNames.RequestMaxTokens, maxTokens);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            activity.SetTag(GenAiNames.RequestStopSequences, stops.ToArray());
        }

        if (options.Seed is { } seed)
        {
            activity.SetTag(GenAiNames.RequestSeed, seed);
        }

        if (options.FrequencyPenalty is { } frequency)
        {
            activity.SetTag(GenAiNames.RequestFrequencyPenalty, (double)frequency);
        }

        if (options.PresencePenalty is { } presence)
        {
            activity.SetTag(GenAiNames.RequestPresencePenalty, (double)presence);
        }
    }

    /// <summary>One observed call: its span, its clock readings and the tags its metrics share.</summary>
    private sealed class TrackedCall(
        AiGatewayTelemetryChatClient owner, Activity? activity, IReadOnlyCollection<ChatMessage> messages, bool streaming,
        string model, string provider, Uri? server, string? gatewayId) : IDisposable
    {
        private readonly long _started = owner._timeProvider.GetTimestamp();
        private long _lastChunk;
        private bool _recorded;

        public IReadOnlyCollection<ChatMessage> Messages { get; } = messages;

        public string Provider { get; private set; } = provider;

        public Uri? Server { get; } = server;

        public string? GatewayId { get; } = gatewayId;

        public void Chunk()
        {
            long now = owner._timeProvider.GetTimestamp();
            var tags = BaseTags(null);
            if (_lastChunk == 0)
            {
                s_timeToFirstChunk.Record(owner._timeProvider.GetElapsedTime(_started, now).TotalSeconds, tags);
            }
            else
            {
                s_timePerChunk.Record(owner._timeProvider.GetElapsedTime(_lastChunk, now).TotalSeconds, tags);
            }

            _lastChunk = now;
        }

        public void Complete(ChatResponse response, AiGatewayResponseInfo? info)
        {
            if (info is not null)
            {
                Provider = GenAiNames.ProviderNameOf(info.Provider);
            }

            var tags = BaseTags(response.ModelId);
            s_duration.Record(owner._timeProvider.GetElapsedTime(_started).TotalSeconds, tags);
            if (response.Usage?.InputTokenCount is { } input)
            {
                var inputTags = tags;
                inputTags.Add(GenAiNames.TokenType, "input");
                s_tokens.Record((int)input, inputTags);
            }

            if (response.Usage?.OutputTokenCount is { } output)
            {
                var outputTags = tags;
                outputTags.Add(GenAiNames.TokenType, "output");
                s_tokens.Record((int)output, outputTags);
            }

            CountRequest(info?.Attempts.Count > 1 ? "fallback" : "success", info?.CacheStatus ?? AiGatewayCacheStatus.Unknown);
            if (activity is not { IsAllDataRequested: true })
            {
                return;
            }

            activity.SetTag(GenAiNames.ProviderName, Provider)
                .SetTag(GenAiNames.ResponseId, response.ResponseId)
                .SetTag(GenAiNames.ResponseModel, response.ModelId);
            if (response.FinishReason is { } finish)
            {
                activity.SetTag(GenAiNames.ResponseFinishReasons, new[] { finish.Value });
            }

            if (response.Usage is { } usage)
            {
                SetTagIfPresent(GenAiNames.UsageInputTokens, usage.InputTokenCount);
                SetTagIfPresent(GenAiNames.UsageOutputTokens, usage.OutputTokenCount);
                SetTagIfPresent(GenAiNames.UsageCacheReadInputTokens, usage.CachedInputTokenCount);
                SetTagIfPresent(GenAiNames.UsageReasoningOutputTokens, usage.ReasoningTokenCount);
            }

            if (info is not null)
            {
                activity.SetTag(AiGatewayTelemetry.Attributes.CacheStatus, CacheStatusTag(info.CacheStatus))
                    .SetTag(AiGatewayTelemetry.Attributes.LogId, info.LogId)
                    .SetTag(AiGatewayTelemetry.Attributes.RequestId, info.RequestId)
                    .SetTag(AiGatewayTelemetry.Attributes.Step, info.Step)
                    .SetTag(AiGatewayTelemetry.Attributes.Provider, info.Provider)
                    .SetTag(AiGatewayTelemetry.Attributes.Model, info.Model)
                    .SetTag(AiGatewayTelemetry.Attributes.Attempts, info.Attempts.Count);
            }

            if (owner.EnableSensitiveData)
            {
                activity.SetTag(GenAiNames.OutputMessages, MessageJson.Write(response.Messages, response.FinishReason));
            }
        }

        public void Fail(Exception exception)
        {
            var gatewayError = exception as AiGatewayException;
            if (gatewayError?.Provider is { } slug)
            {
                Provider = GenAiNames.ProviderNameOf(slug);
            }

            string errorType = gatewayError is not null ? gatewayError.Kind.ToString() : exception.GetType().FullName ?? "error";
            var tags = BaseTags(null);
            tags.Add(GenAiNames.ErrorType, errorType);
            s_duration.Record(owner._timeProvider.GetElapsedTime(_started).TotalSeconds, tags);
            CountRequest("error", AiGatewayCacheStatus.Unknown);
            if (activity is null)
            {
                return;
            }

            activity.SetStatus(ActivityStatusCode.Error, gatewayError is not null ? $"{gatewayError.Kind} {gatewayError.StatusCode}" : exception.GetType().Name)
                .SetTag(GenAiNames.ErrorType, errorType)
                .SetTag(GenAiNames.ProviderName, Provider);
            if (gatewayError is not null)
            {
                activity.SetTag(AiGatewayTelemetry.Attributes.ErrorKind, gatewayError.Kind.ToString())
                    .SetTag(GenAiNames.HttpStatusCode, gatewayError.StatusCode)
                    .SetTag(AiGatewayTelemetry.Attributes.LogId, gatewayError.LogId)
                    .SetTag(AiGatewayTelemetry.Attributes.Attempts, gatewayError.Attempts.Count);
            }
        }

        public void Dispose() => activity?.Dispose();

        private void CountRequest(string outcome, AiGatewayCacheStatus cacheStatus)
        {
            if (_recorded)
            {
                return;
            }

            _recorded = true;
            var tags = new TagList
            {
                { GenAiNames.ProviderName, Provider },
                { GenAiNames.RequestModel, model },
                { AiGatewayTelemetry.Attributes.Outcome, outcome },
                { AiGatewayTelemetry.Attributes.CacheStatus, CacheStatusTag(cacheStatus) },
                { "aigateway.streaming", streaming },
            };
            s_requests.Add(1, tags);
        }

        private TagList BaseTags(string? responseModel)
        {
            var tags = new TagList
            {
                { GenAiNames.OperationName, "chat" },
                { GenAiNames.ProviderName, Provider },
                { GenAiNames.RequestModel, model },
            };
            if (responseModel is not null)
            {
                tags.Add(GenAiNames.ResponseModel, responseModel);
            }

            if (Server is { } server)
            {
                tags.Add(GenAiNames.ServerAddress, server.Host);
                tags.Add(GenAiNames.ServerPort, server.Port);
            }

            return tags;
        }

        private void SetTagIfPresent(string name, long? value)
        {
            if (value is { } v)
            {
                activity!.SetTag(name, v);
            }
        }

        private static string CacheStatusTag(AiGatewayCacheStatus status) => status switch
        {
            AiGatewayCacheStatus.Hit => "hit",
            AiGatewayCacheStatus.Miss => "miss",
            _ => "unknown",
        };
    }

    /// <summary>The conventions' JSON for messages: <c>[{"role", "parts": [{"type": "text", "content"}, ...]}]</c>.</summary>
    private static class MessageJson
    {
        public static string WriteInstructions(string instructions) => Write(writer =>
        {
            writer.WriteStartArray();
            WriteText(writer, instructions);
            writer.WriteEndArray();
        });

        public static string Write(IEnumerable<ChatMessage> messages, ChatFinishReason? finishReason) => Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WriteStartArray("parts");
                foreach (var content in message.Contents)
                {
                    WritePart(writer, content);
                }

                writer.WriteEndArray();
                if (finishReason is { } finish)
                {
                    writer.WriteString("finish_reason", finish.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

        private static void WritePart(Utf8JsonWriter writer, AIContent content)
        {
            switch (content)
            {
                case TextContent text:
                    WriteText(writer, text.Text);
                    break;
                case TextReasoningContent reasoning:
                    writer.WriteStartObject();
                    writer.WriteString("type", "reasoning");
                    writer.WriteString("content", reasoning.Text);
                    writer.WriteEndObject();
                    break;
                case FunctionCallContent call:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call");
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("name", call.Name);
                    writer.WritePropertyName("arguments");
                    JsonSerializer.Serialize(writer, call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
                    writer.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call_response");
                    writer.WriteString("id", result.CallId);
                    writer.WriteString("response", OpenAIToolWriter.ResultText(result));
                    writer.WriteEndObject();
                    break;
            }
        }

        private static void WriteText(Utf8JsonWriter writer, string text)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("content", text);
            writer.WriteEndObject();
        }

        private static string Write(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
