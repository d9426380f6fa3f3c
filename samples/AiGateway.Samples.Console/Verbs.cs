using System.Globalization;
using AiGateway.Extensions.AI;
using AiGateway.Extensions.AI.Management;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Samples.Console;

/// <summary>The sample's three jobs. Each prints its answers on stdout, each followed by the gateway's facts in one line.</summary>
internal static class Verbs
{
    /// <summary>One real tool: the model may ask for the current time ("What time is it?") and answers from the result.</summary>
    private static readonly ChatOptions s_options = new()
    {
        Tools = [AIFunctionFactory.Create(() => TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), "get_current_time", "Gets the current date and time (UTC, ISO 8601).")],
    };

    /// <summary>Asks the prompt <see cref="CommandLine.Repeat"/> times.</summary>
    public static async Task<int> ChatAsync(IServiceProvider provider, CommandLine command, CancellationToken cancellationToken)
    {
        var chat = provider.GetRequiredService<IChatClient>();
        for (int i = 0; i < command.Repeat; i++)
        {
            var response = await AskAsync(chat, command, cancellationToken);
            System.Console.WriteLine(Report.Facts(response.GetGatewayInfo()));
        }

        return 0;
    }

    /// <summary>Embeds the prompt <see cref="CommandLine.Repeat"/> times (the second is a cache hit with the sample's settings).</summary>
    public static async Task<int> EmbedAsync(IServiceProvider provider, CommandLine command, CancellationToken cancellationToken)
    {
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        for (int i = 0; i < command.Repeat; i++)
        {
            var embeddings = await generator.GenerateAsync([command.Prompt], cancellationToken: cancellationToken);
            var vector = embeddings[0].Vector;
            string first = string.Join(", ", vector[..Math.Min(4, vector.Length)].ToArray().Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)));
            System.Console.WriteLine($"dimensions={vector.Length} first=[{first}]");
            System.Console.WriteLine(Report.Facts(embeddings.GetGatewayInfo()));
        }

        return 0;
    }

    /// <summary>Ensures the gateway exists with the settings this app needs, then asks and rates each answer on its log.</summary>
    public static async Task<int> ManageAsync(IServiceProvider provider, CommandLine command, string gatewayId, CancellationToken cancellationToken)
    {
        var chat = provider.GetRequiredService<IChatClient>();
        var management = provider.GetRequiredService<AiGatewayManagementClient>();
        var logs = provider.GetRequiredService<AiGatewayLogsClient>();
        // The gateway as code: its settings and a dynamic route (the model dynamic/sample-fallback) that falls back from
        // OpenAI to Anthropic. A second run finds both as wanted and changes nothing.
        var definition = new AiGatewayDefinition { Settings = new AiGatewaySettings { CollectLogs = true, CacheTtl = 300 } };
        definition.Routes["sample-fallback"] =
        [
            AiGatewayDynamicRouteElement.Start("primary"),
            AiGatewayDynamicRouteElement.Model("primary", "openai", "gpt-4o-mini", fallback: "backup"),
            AiGatewayDynamicRouteElement.Model("backup", "anthropic", "claude-3-5-haiku-latest"),
            AiGatewayDynamicRouteElement.End(),
        ];
        var ensured = await management.EnsureAsync(gatewayId, definition, cancellationToken);
        System.Console.WriteLine($"gateway {gatewayId}: {(ensured.Changed ? string.Join("; ", ensured.Changes) : "already as wanted")}");

        for (int i = 0; i < command.Repeat; i++)
        {
            var response = await AskAsync(chat, command, cancellationToken);
            var info = response.GetGatewayInfo();
            System.Console.WriteLine(Report.Facts(info));
            if (info?.LogId is not { } logId)
            {
                return Report.Error($"gateway {gatewayId} kept no log of this answer, so it cannot be rated: turn its logs on (CollectLogs).");
            }

            await logs.SendFeedbackAsync(response, AiGatewayFeedback.Positive, score: 100, cancellationToken);
            var log = await logs.GetLogAsync(gatewayId, logId, cancellationToken);
            System.Console.WriteLine($"feedback={log.Feedback} score={log.Score} log={log.Id}");
        }

        return 0;
    }

    /// <summary>Asks once, printing the answer as it arrives when streaming.</summary>
    private static async Task<ChatResponse> AskAsync(IChatClient chat, CommandLine command, CancellationToken cancellationToken)
    {
        if (!command.Stream)
        {
            var response = await chat.GetResponseAsync(command.Prompt, s_options, cancellationToken);
            System.Console.WriteLine(response.Text);
            return response;
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(command.Prompt, s_options, cancellationToken))
        {
            System.Console.Write(update.Text);
            updates.Add(update);
        }

        System.Console.WriteLine();
        return updates.ToChatResponse();
    }
}
