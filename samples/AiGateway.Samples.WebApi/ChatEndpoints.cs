using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi;

/// <summary><c>POST /chat</c>, <c>POST /chat/stream</c> and <c>GET /healthz</c>: the seeds' chat Worker as a minimal API.</summary>
internal static class ChatEndpoints
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void MapChat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapPost("/chat", ChatAsync);
        app.MapPost("/chat/stream", StreamAsync);
    }

    private static async Task<IResult> ChatAsync(HttpContext context, IChatClient chat, IOptions<ChatApiOptions> options)
    {
        var (request, problem) = await ReadRequestAsync(context, options.Value);
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
            }, s_json);
        }
        catch (AiGatewayException e)
        {
            return Failure(e);
        }
    }

    private static async Task StreamAsync(HttpContext context, IChatClient chat, IOptions<ChatApiOptions> options)
    {
        var (request, problem) = await ReadRequestAsync(context, options.Value);
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
            await Failure(e).ExecuteAsync(context);
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
            await WriteEventAsync(response, "error", new { success = false, error = e.Message, logId = e.LogId }, context.RequestAborted);
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

    private static async Task<(ChatRequest? Request, IResult? Problem)> ReadRequestAsync(HttpContext context, ChatApiOptions options)
    {
        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > options.MaxRequestBytes)
            {
                return (null, BadRequest($"The request body is larger than {options.MaxRequestBytes} bytes."));
            }
        }

        ChatRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ChatRequest>(body.ToArray(), s_json);
        }
        catch (JsonException e)
        {
            // The serializer's message names internal types; say what is wrong in the caller's terms.
            return (null, BadRequest(e.Path is { Length: > 1 } path && e.BytePositionInLine is not null && IsWellFormed(body.ToArray())
                ? $"'{path.TrimStart('$', '.')}' has the wrong type: 'message' must be a string and 'skipCache' true or false."
                : "The request body is not valid JSON."));
        }

        return string.IsNullOrWhiteSpace(request?.Message)
            ? (null, BadRequest("'message' is required and must not be empty."))
            : (request, null);
    }

    private static bool IsWellFormed(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<ChatMessage> Messages(ChatApiOptions options, ChatRequest request) =>
        [new(ChatRole.System, options.SystemPrompt), new(ChatRole.User, request.Message)];

    /// <summary>One real tool the model may call ("What time is it?"); function invocation answers it and sends the result back.</summary>
    private static readonly AIFunction s_currentTime = AIFunctionFactory.Create(
        () => TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        "get_current_time",
        "Gets the current date and time (UTC, ISO 8601).");

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

    private static string Cache(AiGatewayResponseInfo? info) => info?.CacheStatus switch
    {
        AiGatewayCacheStatus.Hit => "HIT",
        AiGatewayCacheStatus.Miss => "MISS",
        _ => "NONE",
    };

    /// <summary>A provider failure after fallback: 502 when the gateway or provider answered badly, 500 otherwise.</summary>
    private static IResult Failure(AiGatewayException e) => Results.Json(
        new { success = false, error = e.Message, logId = e.LogId },
        s_json,
        statusCode: e.StatusCode is not null || e.Kind is AiGatewayErrorKind.Transport or AiGatewayErrorKind.Timeout or AiGatewayErrorKind.MalformedResponse
            ? StatusCodes.Status502BadGateway
            : StatusCodes.Status500InternalServerError);

    private static IResult BadRequest(string error) => Results.Json(new { success = false, error }, s_json, statusCode: StatusCodes.Status400BadRequest);

    private static async Task WriteEventAsync(HttpResponse response, string? name, object data, CancellationToken cancellationToken)
    {
        string payload = JsonSerializer.Serialize(data, s_json);
        await response.WriteAsync(name is null ? $"data: {payload}\n\n" : $"event: {name}\ndata: {payload}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private sealed record ChatRequest(string? Message, bool SkipCache);
}
