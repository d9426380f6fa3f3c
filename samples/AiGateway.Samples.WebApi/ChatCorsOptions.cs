namespace AiGateway.Samples.WebApi;

/// <summary>
/// Which web pages may call the API from a browser (<c>Cors</c> section). None by default: any origin would let every
/// web site spend the gateway's budget from its visitors' browsers. <c>appsettings.Development.json</c> allows a local
/// front end.
/// </summary>
public sealed class ChatCorsOptions
{
    /// <summary>Gets the origins allowed to call <c>/chat</c> and <c>/chat/stream</c>, as <c>scheme://host[:port]</c>.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    internal IEnumerable<string> Problems(string section)
    {
        for (int i = 0; i < AllowedOrigins.Count; i++)
        {
            string origin = AllowedOrigins[i];
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || origin.EndsWith('/'))
            {
                yield return $"{section}:AllowedOrigins:{i} '{origin}' is not an origin: use scheme://host[:port], such as https://app.example.com "
                    + "(no '*': any origin would let every web site call the API from its visitors' browsers).";
            }
        }
    }
}
