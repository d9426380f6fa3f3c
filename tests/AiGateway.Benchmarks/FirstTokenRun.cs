using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AiGateway.Benchmarks;

/// <summary>
/// How long after its SSE event becomes readable the first streaming update reaches the caller: the handler writes
/// the first event, notes the time, and holds the rest until the caller has the first update.
/// </summary>
internal static class FirstTokenRun
{
    public static async Task<int> RunAsync(int iterations)
    {
        var handler = new GatedHandler();
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new AiGatewayChatClient(ChatBenchmarks.Options("stream"), http);
        var samples = new List<double>(iterations);
        for (int i = 0; i < iterations + 200; i++)
        {
            bool first = true;
            await foreach (var update in client.GetStreamingResponseAsync("What is the capital of France?"))
            {
                if (first)
                {
                    double microseconds = Stopwatch.GetElapsedTime(handler.FirstEventWritten).TotalMicroseconds;
                    if (i >= 200)
                    {
                        samples.Add(microseconds);
                    }

                    handler.Release();
                    first = false;
                }
            }
        }

        samples.Sort();
        double Percentile(double p) => samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(p * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first update after its SSE event ({iterations} streams, 200 warm-up): p50 {Percentile(0.50):0} us, p90 {Percentile(0.90):0} us, p99 {Percentile(0.99):0} us, max {samples[^1]:0} us"));
        return Percentile(0.50) < 1000 ? 0 : 1;
    }

    private sealed class GatedHandler : HttpMessageHandler
    {
        private static readonly byte[] s_first;
        private static readonly byte[] s_rest;
        private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        static GatedHandler()
        {
            string all = Encoding.UTF8.GetString(Payloads.Stream);
            int split = all.IndexOf("\n\n", StringComparison.Ordinal) + 2;
            s_first = Encoding.UTF8.GetBytes(all[..split]);
            s_rest = Encoding.UTF8.GetBytes(all[split..]);
        }

        public long FirstEventWritten { get; private set; }

        public void Release() => _release.TrySetResult();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var pipe = new Pipe();
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = _release;
            _ = Task.Run(async () =>
            {
                await pipe.Writer.WriteAsync(s_first);
                FirstEventWritten = Stopwatch.GetTimestamp();
                await pipe.Writer.FlushAsync();
                await release.Task;
                await pipe.Writer.WriteAsync(s_rest);
                await pipe.Writer.CompleteAsync();
            }, cancellationToken);
            var content = new StreamContent(pipe.Reader.AsStream());
            content.Headers.ContentType = new("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
