namespace AiGateway.Emulator;

/// <summary>Runs one attempt of one step against the built-in providers, applying any matching fault.</summary>
internal sealed class ProviderExecutor(FaultRegistry faults, TimeProvider time)
{
    public async Task<StepOutcome> RunAsync(EmulatorGateway gateway, StepRequest step, CancellationToken cancellationToken)
    {
        var route = ProviderRoutes.Resolve(step.Slug, step.Path, out string? routeError);
        if (route is null)
        {
            return Fail(step, step.Slug, "unknown", 400, GatewayErrors.Body(null, routeError!));
        }

        var wire = ProviderWire.For(route.Format);
        ChatRequest request;
        try
        {
            request = ChatRequestParser.Parse(route.Format, route.Provider, route.ModelFromPath, step.Body);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Fail(step, route.Provider, "unknown", 400, wire.Error(400, e.Message));
        }

        // The compat endpoint names the provider in the model: openai/gpt-4o-mini.
        string provider = route.Provider;
        string model = request.Model;
        if (provider == "compat" || step.Keyless)
        {
            int slash = model.IndexOf('/', StringComparison.Ordinal);
            (provider, model) = model.StartsWith('@') ? ("workers-ai", model)
                : slash > 0 ? (model[..slash], model[(slash + 1)..])
                : (provider == "compat" ? "openai" : provider, model);
            request = request with { Provider = provider, Model = model };
        }

        if (!step.Keyless && !gateway.StoredKeys.Contains(provider) && step.Settings.ByokAlias is null && !HasKey(step.Headers, route.KeyKind))
        {
            return Fail(step, provider, model, 401, wire.Error(401, wire.MissingKeyMessage), wire);
        }

        var fault = faults.Take(provider, model);
        if (fault is not null && (fault.Delay is not null || fault.Hang))
        {
            var wait = fault.Hang ? Timeout.InfiniteTimeSpan : fault.Delay!.Value;
            if (!await WaitAsync(wait, step.Settings.RequestTimeout, cancellationToken).ConfigureAwait(false))
            {
                return new StepOutcome
                {
                    Status = 504,
                    Body = GatewayErrors.Body(null, $"The {provider} request timed out after {step.Settings.RequestTimeout!.Value.TotalMilliseconds:0} ms (cf-aig-request-timeout)."),
                    TimedOut = true,
                    Provider = provider,
                    Model = model,
                    Path = step.Path,
                };
            }
        }

        if (fault?.Status is { } status)
        {
            string body = fault.Body ?? (fault.GatewayCode is { } code
                ? GatewayErrors.Body(code, $"Emulated gateway error {code}.")
                : wire.Error(status, $"Emulated {status} from {provider}."));
            return Fail(step, provider, model, status, body, wire) with { RetryAfter = fault.RetryAfter };
        }

        var answer = SimulatedModel.Answer(request, time.GetUtcNow());
        if (request.Stream)
        {
            return new StepOutcome
            {
                Status = 200,
                ContentType = "text/event-stream",
                Events = wire.Stream(answer, request.IncludeUsage),
                StreamFault = fault,
                Wire = wire,
                Provider = provider,
                Model = model,
                Path = step.Path,
                TokensIn = answer.PromptTokens,
                TokensOut = answer.CompletionTokens,
            };
        }

        string json = wire.Json(answer);
        return new StepOutcome
        {
            Status = 200,
            Body = fault?.Malformed == true ? json[..(json.Length / 2)] : json,
            Provider = provider,
            Model = model,
            Path = step.Path,
            TokensIn = answer.PromptTokens,
            TokensOut = answer.CompletionTokens,
        };
    }

    /// <summary>Waits for the provider; false when the request timeout passes first.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (timeout is null || (wait != Timeout.InfiniteTimeSpan && wait < timeout))
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            return true;
        }

        await Task.Delay(timeout.Value, time, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private static bool HasKey(IReadOnlyDictionary<string, string> headers, ProviderKeyKind kind)
    {
        bool Present(string name) => headers.TryGetValue(name, out var value) && value.Trim().Length > 0 && value.Trim() != "Bearer";
        return kind switch
        {
            ProviderKeyKind.AzureApiKey => Present("api-key"),
            ProviderKeyKind.AnthropicKey => Present("x-api-key") || Present("authorization"),
            ProviderKeyKind.None => true,
            _ => Present("authorization"),
        };
    }

    private static StepOutcome Fail(StepRequest step, string provider, string model, int status, string body, ProviderWire? wire = null) => new()
    {
        Status = status,
        Body = body,
        Wire = wire,
        Provider = provider,
        Model = model,
        Path = step.Path,
    };
}
