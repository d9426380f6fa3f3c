namespace AiGateway.Extensions.AI;

/// <summary>The HTTP client that clients created without one share.</summary>
internal static class GatewayHttp
{
    private static readonly Lazy<HttpClient> s_shared = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        // NetworkTimeout bounds each wait instead; HttpClient's own timeout would cut long answers.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    /// <summary>Gets the shared client: pooled connections, recycled every two minutes for DNS changes.</summary>
    public static HttpClient Shared => s_shared.Value;
}
