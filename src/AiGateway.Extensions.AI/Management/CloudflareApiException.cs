namespace AiGateway.Extensions.AI.Management;

/// <summary>Cloudflare's REST API answered with an error envelope (or no envelope at all). Never contains the API token.</summary>
public sealed class CloudflareApiException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CloudflareApiException"/> class.</summary>
    public CloudflareApiException()
        : this("The Cloudflare API request failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudflareApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CloudflareApiException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudflareApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CloudflareApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status.</summary>
    public int StatusCode { get; init; }

    /// <summary>Gets the API's errors (codes and messages).</summary>
    public IReadOnlyList<CloudflareApiError> Errors { get; init; } = [];

    /// <summary>Gets how long to wait before retrying, from <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
