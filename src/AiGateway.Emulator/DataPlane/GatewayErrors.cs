using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>Error bodies in the shapes the real gateway sends.</summary>
internal static class GatewayErrors
{
    public const int GatewayNotFound = 2001;
    public const int Unauthorized = 2009;

    /// <summary>A <c>cf-aig-byok-alias</c> no stored key has (seen in the wild; Cloudflare documents no code for it).</summary>
    public const int UnknownByokAlias = 2040;

    /// <summary><c>{"success":false,"result":[],"messages":[],"error":[{"code":2001,"message":"..."}]}</c>.</summary>
    public static string Body(int? code, string message)
    {
        var error = new JsonObject();
        if (code is { } c)
        {
            error["code"] = c;
        }

        error["message"] = message;
        return new JsonObject
        {
            ["success"] = false,
            ["result"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["error"] = new JsonArray(error),
        }.ToJsonString(EmulatorJson.Options);
    }

    /// <summary>A policy refusal (403): <c>{"success":false,"error":{"message":"Access denied by policy"}}</c>.</summary>
    public static string PolicyDenied() => new JsonObject
    {
        ["success"] = false,
        ["error"] = new JsonObject { ["message"] = "Access denied by policy" },
    }.ToJsonString(EmulatorJson.Options);

    /// <summary>A spent budget (429): the message, the bucket, the amount spent and the limit, in US dollars.</summary>
    public static string SpendLimitExceeded(string bucket, double spent, double limit) => new JsonObject
    {
        ["success"] = false,
        ["error"] = new JsonObject { ["message"] = "Spending limit exceeded", ["bucket"] = bucket, ["spent"] = spent, ["limit"] = limit },
    }.ToJsonString(EmulatorJson.Options);

    /// <summary>The authentication failure shape: <c>[{"code":2009,"message":"Unauthorized"}]</c>.</summary>
    public static string UnauthorizedBody() => new JsonArray(new JsonObject { ["code"] = Unauthorized, ["message"] = "Unauthorized" }).ToJsonString(EmulatorJson.Options);
}
