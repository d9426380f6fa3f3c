using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AiGateway.Samples.WebApi;

/// <summary>ASP.NET Core's rate limiter in front of the chat endpoints: a fixed window per client (<see cref="ChatRateLimitOptions"/>).</summary>
internal static class ChatRateLimiting
{
    /// <summary>The policy the chat endpoints require.</summary>
    public const string PolicyName = "chat";

    /// <summary>Registers the limiter; a refused request answers 429 with <c>Retry-After</c> and the sample's error body.</summary>
    /// <param name="services">The services.</param>
    public static void AddChatRateLimiter(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(PolicyName, context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<ChatRateLimitOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(Client(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = options.Window,
                QueueLimit = 0,
            });
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var response = rejected.HttpContext.Response;
            if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            await ChatJson.Error(StatusCodes.Status429TooManyRequests, "Too many requests: wait a moment and try again.").ExecuteAsync(rejected.HttpContext);
        };
    });

    /// <summary>
    /// Who is asking: the signed-in user when authentication runs in front, otherwise the client's IP address (the
    /// forwarded one behind a trusted proxy, see <c>UseForwardedHeaders</c>).
    /// </summary>
    private static string Client(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "user:" + name
        : context.Connection.RemoteIpAddress is { } address ? "ip:" + address
        : "unknown";
}
