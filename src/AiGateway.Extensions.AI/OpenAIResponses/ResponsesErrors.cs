using System.ClientModel.Primitives;
using OpenAI.Responses;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The Responses API's errors that arrive inside an answer: an <c>error</c> event or <c>response.failed</c> in a stream,
/// a response object whose status is <c>failed</c>. Microsoft's client passes them on as <see cref="Microsoft.Extensions.AI.ErrorContent"/>
/// (or not at all); here they end the request with the API's own code and message, as every route's failures do.
/// </summary>
internal static class ResponsesErrors
{
    /// <summary>Throws <see cref="StreamErrorEventException"/> with the error's JSON when <paramref name="raw"/> (an SDK object) reports one.</summary>
    public static void ThrowIfFailed(object? raw)
    {
#pragma warning disable OPENAI001 // The Responses types are experimental in the OpenAI SDK.
        BinaryData? error = raw switch
        {
            StreamingResponseErrorUpdate errorEvent => ((IPersistableModel<StreamingResponseUpdate>)errorEvent).Write(ModelReaderWriterOptions.Json),
            StreamingResponseFailedUpdate failed => Describe(failed.Response),
            ResponseResult { Status: ResponseStatus.Failed } result => Describe(result),
            _ => null,
        };
#pragma warning restore OPENAI001
        if (error is not null)
        {
            throw new StreamErrorEventException(error.ToArray());
        }

#pragma warning disable OPENAI001
        if (raw is ResponseResult { Id: null or "" })
#pragma warning restore OPENAI001
        {
            // Microsoft's client reads any JSON object as an empty answer; one without an id is no response object.
            throw new InvalidDataException("The answer is not a Responses API response object (it has no id).");
        }
    }

    /// <summary>
    /// How a Responses stream reads: <c>response.completed</c> or <c>response.incomplete</c> closes it; an <c>error</c>
    /// event or <c>response.failed</c> fails it.
    /// </summary>
    public static SdkStreamShape StreamShape { get; } = new(
#pragma warning disable OPENAI001
        static update => update.RawRepresentation is StreamingResponseCompletedUpdate or StreamingResponseIncompleteUpdate,
#pragma warning restore OPENAI001
        "The Responses stream ended before response.completed.",
        static update => ThrowIfFailed(update.RawRepresentation));

#pragma warning disable OPENAI001
    private static BinaryData Describe(ResponseResult response) =>
        response.Error is { } error ? ((IPersistableModel<ResponseError>)error).Write(ModelReaderWriterOptions.Json) : BinaryData.FromString("""{"message":"The response failed without saying why."}""");
#pragma warning restore OPENAI001
}
