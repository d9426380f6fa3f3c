using System.Net;

namespace AiGateway.Emulator;

/// <summary>What a listen address means: whether it stays on this machine, and the address a client connects to.</summary>
internal static class ListenAddress
{
    /// <summary>Whether <paramref name="host"/> accepts connections from this machine only.</summary>
    public static bool IsLoopback(string host)
    {
        string bare = host.Trim('[', ']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// The root a client on this machine connects to: a wildcard listen address (<c>0.0.0.0</c>, <c>[::]</c>) is where
    /// the server listens, not an address to connect to, so it becomes the matching loopback address.
    /// </summary>
    public static Uri Connectable(string boundAddress)
    {
        var bound = new UriBuilder(boundAddress.TrimEnd('/') + "/");
        bound.Host = bound.Host.Trim('[', ']') switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "::" => "[::1]",
            _ => bound.Host,
        };
        return bound.Uri;
    }
}
