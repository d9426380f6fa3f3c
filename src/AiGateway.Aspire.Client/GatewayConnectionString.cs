using System.Data.Common;
using AiGateway.Aspire;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Reads a gateway connection string, <c>Endpoint=...;AccountId=...;GatewayId=...;Token=...</c> (or a bare endpoint
/// URL), onto <see cref="AiGatewayOptions"/>: each key present and non-empty replaces what the options section said.
/// A string of the wrong form fails like an invalid option, naming <c>ConnectionStrings:{name}</c> and never echoing a
/// value: the string holds the token.
/// </summary>
internal static class GatewayConnectionString
{
    private static readonly string[] s_keys = [ConnectionStringKeys.Endpoint, ConnectionStringKeys.AccountId, ConnectionStringKeys.GatewayId, ConnectionStringKeys.Token];

    /// <exception cref="OptionsValidationException">The connection string has the wrong form, an unknown key or a relative endpoint.</exception>
    public static void Apply(string connectionString, string connectionName, AiGatewayOptions options, string optionsName)
    {
        string path = $"ConnectionStrings:{connectionName}";
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var bare) && !connectionString.Contains('=', StringComparison.Ordinal))
        {
            options.Endpoint = bare;
            return;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The parser's own message is safe, but its exception carries nothing the caller needs; the string is secret.
            throw Invalid(optionsName, $"{path} must have the form Endpoint=...;AccountId=...;GatewayId=...;Token=... .");
        }

        foreach (string key in builder.Keys)
        {
            if (!s_keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                // A misspelt key would otherwise drop the token or the account without a word.
                throw Invalid(optionsName, $"{path} has an unknown key '{key}': the keys are {string.Join(", ", s_keys)}.");
            }
        }

        if (Value(builder, ConnectionStringKeys.Endpoint) is { } endpoint)
        {
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw Invalid(optionsName, $"{path}: Endpoint must be an absolute http(s) URL such as {ConnectionStringKeys.CloudflareEndpoint}.");
        }

        if (Value(builder, ConnectionStringKeys.AccountId) is { } accountId)
        {
            options.AccountId = accountId;
        }

        if (Value(builder, ConnectionStringKeys.GatewayId) is { } gatewayId)
        {
            options.GatewayId = gatewayId;
        }

        if (Value(builder, ConnectionStringKeys.Token) is { } token)
        {
            options.Token = token;
        }
    }

    private static string? Value(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out object? value) && value is string { Length: > 0 } text ? text.Trim() : null;

    private static OptionsValidationException Invalid(string optionsName, string failure) =>
        new(optionsName, typeof(AiGatewayOptions), [failure]);
}
