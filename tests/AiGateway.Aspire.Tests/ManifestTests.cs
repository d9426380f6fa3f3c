using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace AiGateway.Aspire.Tests;

/// <summary>The sample AppHost in publish mode: the manifest describes the real gateway, never the token's value.</summary>
public sealed class ManifestTests : IDisposable
{
    private const string TokenValue = "cf-token-that-must-stay-secret-7f3a";
    private readonly string _folder = Directory.CreateTempSubdirectory("aigateway-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TheManifest_HoldsTheRealGatewaysConnectionStringExpression_AndNoTokenValue()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string path = Path.Combine(_folder, "aspire-manifest.json");
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AiGateway_Samples_AppHost>(
            ["--publisher", "manifest", "--output-path", path, $"--Parameters:cloudflare-gateway-token={TokenValue}"],
            (options, _) => options.DisableDashboard = true,
            cancellation.Token);
        await using var app = await appHost.BuildAsync(cancellation.Token);
        await app.RunAsync(cancellation.Token);

        string text = await File.ReadAllTextAsync(path, cancellation.Token);
        Assert.DoesNotContain(TokenValue, text, StringComparison.Ordinal);
        var resources = JsonNode.Parse(text)!["resources"]!;

        var gateway = resources["gateway"]!;
        Assert.Equal("value.v0", gateway["type"]!.GetValue<string>());
        Assert.Equal(
            "Endpoint=https://gateway.ai.cloudflare.com/v1;AccountId={cloudflare-account-id.value};GatewayId={cloudflare-gateway-id.value};Token={cloudflare-gateway-token.value}",
            gateway["connectionString"]!.GetValue<string>());
        Assert.True(resources["cloudflare-gateway-token"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        Assert.Equal("{gateway.connectionString}", resources["webapi"]!["env"]!["ConnectionStrings__gateway"]!.GetValue<string>());

        // The emulator is a run-mode stand-in: nothing of it is published.
        Assert.DoesNotContain("aigateway-emulator", text, StringComparison.Ordinal);
    }
}
