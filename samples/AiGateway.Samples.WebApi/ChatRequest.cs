namespace AiGateway.Samples.WebApi;

/// <summary>The body of <c>POST /chat</c> and <c>POST /chat/stream</c>: <c>{"message": "...", "skipCache": false}</c>.</summary>
/// <param name="Message">The user's message.</param>
/// <param name="SkipCache">Whether to bypass the gateway's cache.</param>
internal sealed record ChatRequest(string? Message, bool SkipCache);
