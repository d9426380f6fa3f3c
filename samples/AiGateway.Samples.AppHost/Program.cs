// dotnet run --project samples/AiGateway.Samples.AppHost
// Run mode: the AI Gateway emulator stands in for the Cloudflare gateway, and the web sample gets its connection string.
// Publish mode: the manifest describes the real gateway from the three parameters (the token a secret).
var builder = DistributedApplication.CreateBuilder(args);

var gateway = builder.AddAiGateway(
        "gateway",
        builder.AddParameter("cloudflare-account-id"),
        builder.AddParameter("cloudflare-gateway-id"),
        builder.AddParameter("cloudflare-gateway-token", secret: true))
    .RunAsEmulator();                       // run mode: the emulator; publish mode: the real gateway

builder.AddProject<Projects.AiGateway_Samples_WebApi>("webapi")
    .WithReference(gateway)                 // ConnectionStrings__gateway
    .WaitFor(gateway)
    .WithEnvironment("AiGateway__ApiKey", builder.AddParameter("openai-api-key", secret: true))
    .WithHttpHealthCheck("/healthz");

builder.Build().Run();
