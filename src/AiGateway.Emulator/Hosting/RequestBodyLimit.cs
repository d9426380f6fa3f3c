using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AiGateway.Emulator;

/// <summary>
/// <see cref="EmulatorLimits.MaxRequestBodyBytes"/> for every request: a body declared larger is answered at once, one
/// that grows larger while read is cut there, both with 413 in the shape of the API asked (the gateway's error, the
/// control plane's envelope, the faults API's), never a connection reset.
/// </summary>
internal static class RequestBodyLimit
{
    public static void Use(WebApplication app, long limit)
    {
        string message = $"The request body is larger than the emulator takes ({limit.ToString("N0", CultureInfo.InvariantCulture)} bytes; AiGatewayEmulatorOptions.Limits.MaxRequestBodyBytes).";
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                await TooLarge(context, message);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLarge(context, message);
            }
        });
    }

    private static Task TooLarge(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "application/json";
        string body = context.Request.Path.StartsWithSegments(ControlPlane.ControlPlaneApi.Root, StringComparison.OrdinalIgnoreCase)
            ? ControlPlane.Envelope.ErrorBody(ControlPlane.Envelope.InvalidRequest, message)
            : context.Request.Path.StartsWithSegments("/emulator", StringComparison.OrdinalIgnoreCase)
                ? System.Text.Json.JsonSerializer.Serialize(new { error = message })
                : GatewayErrors.Body(null, message);
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
