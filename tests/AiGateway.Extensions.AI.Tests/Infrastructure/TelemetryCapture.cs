using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests;

/// <summary>One metric point as exported: its tags and value(s).</summary>
public sealed record MetricPointSnapshot(string Name, string? Unit, IReadOnlyDictionary<string, object?> Tags, long Count, double Sum, double[] Boundaries);

/// <summary>
/// The real OpenTelemetry SDK with in-memory exporters (the SDK's own in-memory exporter package does not restore here).
/// Listeners are process-wide, so tests filter by their own trace id and a model name no other test uses.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private static readonly ActivitySource s_tests = new("AiGateway.Tests");
    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;
    private readonly Activity _root;

    public TelemetryCapture()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(AiGatewayTelemetry.SourceName, "AiGateway.Tests")
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new SimpleActivityExportProcessor(new ActivityExporter(Spans)))
            .Build()!;
        _meter = Sdk.CreateMeterProviderBuilder()
            .AddMeter(AiGatewayTelemetry.SourceName)
            .AddReader(new BaseExportingMetricReader(new MetricExporter(Points)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative })
            .Build()!;
        _root = s_tests.StartActivity("test")!;
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<MetricPointSnapshot> Points { get; } = new();

    public ConcurrentQueue<string> Logs { get; } = new();

    public ILoggerFactory LoggerFactory => new CapturingLoggerFactory(Logs);

    /// <summary>Spans of this test's trace.</summary>
    public List<Activity> TestSpans => [.. Spans.Where(s => s.TraceId == _root.TraceId && s.Source.Name == AiGatewayTelemetry.SourceName)];

    /// <summary>Flushes the metrics and returns the latest points of <paramref name="name"/> recorded for <paramref name="model"/>.</summary>
    public List<MetricPointSnapshot> Metric(string name, string model)
    {
        Points.Clear();
        _meter.ForceFlush();
        return [.. Points.Where(p => p.Name == name && (p.Tags.TryGetValue("gen_ai.request.model", out var m) ? Equals(m, model) : true))];
    }

    public void Dispose()
    {
        _root.Dispose();
        _tracer.Dispose();
        _meter.Dispose();
    }

    private sealed class ActivityExporter(ConcurrentQueue<Activity> sink) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                sink.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }

    private sealed class MetricExporter(ConcurrentQueue<MetricPointSnapshot> sink) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    bool histogram = metric.MetricType is MetricType.Histogram;
                    var boundaries = new List<double>();
                    if (histogram)
                    {
                        foreach (var bucket in point.GetHistogramBuckets())
                        {
                            boundaries.Add(bucket.ExplicitBound);
                        }
                    }

                    sink.Enqueue(new MetricPointSnapshot(
                        metric.Name, metric.Unit, tags,
                        histogram ? point.GetHistogramCount() : point.GetSumLong(),
                        histogram ? point.GetHistogramSum() : point.GetSumLong(),
                        [.. boundaries]));
                }
            }

            return ExportResult.Success;
        }
    }

    private sealed class CapturingLoggerFactory(ConcurrentQueue<string> sink) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
