using System.Diagnostics;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// What the fault matrices share: one question sent answered or streamed and run to its end within a bound (a
/// <see cref="TimeoutException"/> from the bound fails the test), and the scan for secrets over everything that left
/// the client.
/// </summary>
internal static class FaultRun
{
    /// <summary>The longest any fault may take to end: proof that nothing hangs.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Sends the question; <paramref name="contentReceived"/> is set once the caller holds content, so a server can
    /// fail mid-stream deterministically after it.
    /// </summary>
    public static async Task<(ChatResponse? Response, Exception? Error, TimeSpan Elapsed)> RunAsync(
        IChatClient chat, bool streaming, ChatOptions? options, TaskCompletionSource contentReceived, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await SendAsync(chat, streaming, options, contentReceived, cancellationToken).WaitAsync(Bound, CancellationToken.None); // the client itself must end on the caller's cancellation
            return (response, null, watch.Elapsed);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return (null, e, watch.Elapsed);
        }
    }

    /// <summary>Asserts that no key or token is in the error (message, <c>ToString()</c>, provider fields), the client's logs or any span tag.</summary>
    public static void AssertNoSecrets(Exception? error, IServiceProvider provider, SpanCollection spans)
    {
        var failure = error as AiGatewayException;
        string everything = $"{error?.Message}\n{error}\n{failure?.ProviderErrorCode}\n{failure?.ProviderErrorType}\n{failure?.ProviderMessage}\n" +
            string.Join('\n', provider.GetFakeLogCollector().GetSnapshot().Select(l => l.Message + " " + l.Exception)) +
            string.Join('\n', spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")));
        Assert.DoesNotContain(TestOptions.ApiKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.Token, everything, StringComparison.Ordinal);
    }

    private static async Task<ChatResponse> SendAsync(
        IChatClient chat, bool streaming, ChatOptions? options, TaskCompletionSource contentReceived, CancellationToken cancellationToken)
    {
        if (!streaming)
        {
            return await chat.GetResponseAsync("What is the capital of France?", options, cancellationToken);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("What is the capital of France?", options, cancellationToken))
        {
            updates.Add(update);
            if (!string.IsNullOrEmpty(update.Text))
            {
                contentReceived.TrySetResult();
            }
        }

        return updates.ToChatResponse();
    }
}
