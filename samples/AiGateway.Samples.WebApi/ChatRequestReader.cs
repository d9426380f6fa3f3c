using System.Text.Json;

namespace AiGateway.Samples.WebApi;

/// <summary>Reads a <see cref="ChatRequest"/>, refusing what is not one with a message in the caller's terms.</summary>
internal static class ChatRequestReader
{
    /// <summary>Reads the request body.</summary>
    /// <param name="context">The request.</param>
    /// <param name="maxBytes">The largest body accepted.</param>
    /// <returns>The request, or the 400 to answer instead.</returns>
    public static async Task<(ChatRequest? Request, IResult? Problem)> ReadAsync(HttpContext context, int maxBytes)
    {
        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > maxBytes)
            {
                return (null, BadRequest($"The request body is larger than {maxBytes} bytes."));
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        catch (JsonException)
        {
            return (null, BadRequest("The request body is not valid JSON."));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, BadRequest("The request body is not a JSON object: send one with a 'message' string."));
            }

            ChatRequest? request;
            try
            {
                request = document.RootElement.Deserialize<ChatRequest>(ChatJson.Options);
            }
            catch (JsonException e)
            {
                // The serializer's message names internal types; say what is wrong in the caller's terms.
                return (null, BadRequest($"'{e.Path?.TrimStart('$', '.')}' has the wrong type: 'message' must be a string and 'skipCache' true or false."));
            }

            return string.IsNullOrWhiteSpace(request?.Message)
                ? (null, BadRequest("'message' is required and must not be empty."))
                : (request, null);
        }
    }

    private static IResult BadRequest(string error) => ChatJson.Error(StatusCodes.Status400BadRequest, error);
}
