using System.Security.Cryptography;
using System.Text;

namespace AiGateway.Emulator;

/// <summary>
/// The one rule for the emulator's Cloudflare API tokens (control plane, REST form, authenticated gateways) and for its
/// faults API. With tokens configured only those are accepted, everywhere. With none (allowed on loopback only) any
/// non-empty bearer token passes where Cloudflare needs one, and the faults API is open.
/// </summary>
internal sealed class AccessTokens
{
    private const string Bearer = "Bearer ";
    private readonly byte[][] _tokens;

    public AccessTokens(IEnumerable<string> tokens) =>
        _tokens = [.. tokens.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes)];

    /// <summary>Gets a value indicating whether tokens were configured (then the faults API needs one too).</summary>
    public bool Configured => _tokens.Length > 0;

    /// <summary>Whether an <c>Authorization</c> (or <c>cf-aig-authorization</c>) value carries an accepted token.</summary>
    public bool Accepts(string? header)
    {
        if (header is null || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string token = header[Bearer.Length..].Trim();
        if (token.Length == 0)
        {
            return false;
        }

        if (!Configured)
        {
            return true;
        }

        byte[] candidate = Encoding.UTF8.GetBytes(token);
        bool accepted = false;
        foreach (byte[] known in _tokens)
        {
            // Compared in constant time: on a shared network the token is all that guards the control plane.
            accepted |= CryptographicOperations.FixedTimeEquals(candidate, known);
        }

        return accepted;
    }

    /// <summary>Whether a request may use the faults API: open without tokens, else it needs one.</summary>
    public bool AcceptsOperator(string? header) => !Configured || Accepts(header);
}
