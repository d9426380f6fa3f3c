namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Where the emulator this package carries is: <c>aigateway-emulator/</c> beside this assembly in the AppHost's output
/// (copied there by the build), run by the <c>dotnet</c> host that runs the AppHost.
/// </summary>
internal static class EmulatorFiles
{
    public const string FolderName = "aigateway-emulator";

    public const string AssemblyName = "aigateway-emulator.dll";

    public static string Directory { get; } = Path.Combine(
        Path.GetDirectoryName(typeof(EmulatorFiles).Assembly.Location) is { Length: > 0 } here ? here : AppContext.BaseDirectory,
        FolderName);

    public static string AssemblyPath => Path.Combine(Directory, AssemblyName);

    /// <summary>The host the SDK runs us with (<c>dotnet run</c>, <c>dotnet test</c>), else <c>dotnet</c> from PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
