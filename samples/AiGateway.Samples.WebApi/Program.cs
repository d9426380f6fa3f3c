using AiGateway.Samples.WebApi;

// dotnet run --project samples/AiGateway.Samples.WebApi    (listens on http://127.0.0.1:5080; see appsettings.json)
var app = await ChatApp.CreateAsync(args);
await app.RunAsync();

/// <summary>The entry point, visible to the tests.</summary>
public partial class Program;
