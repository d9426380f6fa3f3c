using AiGateway.Samples.WebApi;

// dotnet run --project samples/AiGateway.Samples.WebApi    (http://127.0.0.1:5080 from Properties/launchSettings.json;
// elsewhere the host decides: ASPNETCORE_URLS, --urls, or Kestrel's default)
var app = await ChatApp.CreateAsync(args);
await app.RunAsync();

/// <summary>The entry point, visible to the tests.</summary>
public partial class Program;
