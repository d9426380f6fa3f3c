using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiGateway.Emulator;

/// <summary>JSON output as providers write it: apostrophes and non-ASCII text are not escaped.</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
