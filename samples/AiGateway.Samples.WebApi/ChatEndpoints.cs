using System.Text.Json;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi;

/// <summary><c>POST /chat</c>, <c>POST /chat/stream</c> and <c>GET /healthz</c>: the seeds' chat Worker as a minimal API.</summary>
internal static class ChatEndpoints
{
    /// <summary>One real tool the model may call ("What time is it?"); function invocation answers it and sends the result back.</summary>
    private static readonly AIFunction s_currentTime = AIFunctionFactory.Create(
        () => TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        "get_current_time",
        "Gets the current date and time (UTC, ISO 8601).");

    /// <summary>Maps the endpoints.</summary>
    /// <param name="app">The app.</param>
    /// <returns>The <c>/chat</c> group (rate limited), to add <c>RequireAuthorization()</c> and the like.</returns>
    public static RouteGroupBuilder MapChat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        var chat = app.MapGroup("/chat").RequireRateLimiting(ChatRateLimiting.PolicyName);
        chat.MapPost(string.Empty, ChatAsync);
        chat.MapPost("/stream", StreamAsync);
        return chat;
    }

    private static async Task<IResult> ChatAsync(HttpContext context, IChatClient chat, IOptions<ChatApiOptions> options, ILoggerFactory loggers)
    {
        var (request, problem) = await ChatRequestReader.ReadAsync(context, options.Value.MaxRequestBytes);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var response = await chat.GetResponseAsync(Messages(options.Value, request!), ChatOptionsFor(request!), context.RequestAborted);
            var info = response.GetGatewayInfo();
            return Results.Json(new
            {
                success = true,
                response = response.Text,
                usage = Usage(response.Usage),
                source = info?.Provider,
                cache = Cache(info),
                logId = info?.LogId,
            }, ChatJson.Options);
        }
        catch (AiGatewayException e)
        {
            var (status, body) = ChatFailures.Describe(loggers.CreateLogger(typeof(ChatEndpoints)), context, e);
            return Results.Json(body, ChatJson.Options, statusCode: status);
        }
    }

    private static async Task StreamAsync(HttpContext context, IChatClient chat, IOptions<ChatApiOptions> options, ILoggerFactory loggers)
    {
        var (request, problem) = await ChatRequestReader.ReadAsync(context, options.Value.MaxRequestBytes);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        await using var updates = chat.GetStreamingResponseAsync(Messages(options.Value, request!), ChatOptionsFor(request!), context.RequestAborted)
            .GetAsyncEnumerator(context.RequestAborted);
        bool any;
        try
        {
            any = await updates.MoveNextAsync();
        }
        catch (AiGatewayException e)
        {
            // Nothing was sent yet (fallback already had its chance): an ordinary JSON error.
            var (status, body) = ChatFailures.Describe(loggers.CreateLogger(typeof(ChatEndpoints)), context, e);
            await Results.Json(body, ChatJson.Options, statusCode: status).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        List<ChatResponseUpdate> received = [];
        try
        {
            while (any)
            {
                var update = updates.Current;
                received.Add(update);
                if (!string.IsNullOrEmpty(update.Text))
                {
                    await WriteEventAsync(response, null, new { delta = update.Text }, context.RequestAborted);
                }

                any = await updates.MoveNextAsync();
            }
        }
        catch (AiGatewayException e)
        {
            var (_, body) = ChatFailures.Describe(loggers.CreateLogger(typeof(ChatEndpoints)), context, e);
            await WriteEventAsync(response, "error", body, context.RequestAborted);
            return;
        }

        var whole = received.ToChatResponse();
        var info = whole.GetGatewayInfo();
        await WriteEventAsync(response, "done", new
        {
            success = true,
            usage = Usage(whole.Usage),
            source = info?.Provider,
            cache = Cache(info),
            logId = info?.LogId,
        }, context.RequestAborted);
    }

    private static List<ChatMessage> Messages(ChatApiOptions options, ChatRequest request) =>
        [new(ChatRole.System, options.SystemPrompt), new(ChatRole.User, request.Message)];

    private static ChatOptions ChatOptionsFor(ChatRequest request)
    {
        var options = new ChatOptions { Tools = [s_currentTime] };
        return request.SkipCache ? options.SkipGatewayCache() : options;
    }

    private static object? Usage(UsageDetails? usage) => usage is null ? null : new
    {
        inputTokens = usage.InputTokenCount,
        outputTokens = usage.OutputTokenCount,
        totalTokens = usage.TotalTokenCount,
    };

    /// <summary>HIT or MISS; absent when the gateway did not say (a stream, or caching off), where the console sample prints <c>cache=-</c>.</summary>
    private static string? Cache(AiGatewayResponseInfo? info) => info?.CacheStatus switch
    {
        AiGatewayCacheStatus.Hit => "HIT",
        AiGatewayCacheStatus.Miss => "MISS",
        _ => null,
    };

    private static async Task WriteEventAsync<T>(HttpResponse response, string? name, T data, CancellationToken cancellationToken)
    {
        string payload = JsonSerializer.Serialize(data, ChatJson.Options);
        await response.WriteAsync(name is null ? $"data: {payload}\n\n" : $"event: {name}\ndata: {payload}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
