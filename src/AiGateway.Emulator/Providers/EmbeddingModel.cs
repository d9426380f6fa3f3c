using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// A deterministic stand-in for an embedding model, answering in OpenAI's embeddings format: the same text and model
/// always get the same unit vector, different texts get different ones. The size is the model's own when known
/// (text-embedding-3-small: 1536, bge-base: 768, ...), <c>dimensions</c> when asked, 256 otherwise.
/// </summary>
internal static class EmbeddingModel
{
    private static readonly Dictionary<string, int> s_sizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text-embedding-3-small"] = 1536,
        ["text-embedding-3-large"] = 3072,
        ["text-embedding-ada-002"] = 1536,
        ["@cf/baai/bge-small-en-v1.5"] = 384,
        ["@cf/baai/bge-base-en-v1.5"] = 768,
        ["@cf/baai/bge-large-en-v1.5"] = 1024,
        ["@cf/baai/bge-m3"] = 1024,
        ["mistral-embed"] = 1024,
        ["gemini-embedding-001"] = 3072,
        ["text-embedding-004"] = 768,
    };

    /// <summary>The request's model, texts, encoding and size; throws <see cref="FormatException"/> when it is not an embeddings request.</summary>
    public static (string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions) Parse(string? modelFromPath, ReadOnlySpan<byte> body)
    {
        var (root, model) = EmulatorJson.ParseRequest(modelFromPath, body);
        List<string> inputs = root["input"] switch
        {
            JsonValue value when value.TryGetValue(out string? text) => [text],
            JsonArray array when array.Count > 0 => [.. array.Select(i => i?.GetValue<string>() ?? throw new FormatException("'input' items must be strings."))],
            _ => throw new FormatException("'input' must be a string or a non-empty array of strings."),
        };
        int? dimensions = root["dimensions"]?.GetValue<int>();
        if (dimensions is < 1)
        {
            throw new FormatException("'dimensions' must be positive.");
        }

        return (model, inputs, root["encoding_format"]?.GetValue<string>() == "base64", dimensions);
    }

    public static string Json(string model, IReadOnlyList<string> inputs, bool base64, int? dimensions)
    {
        int size = dimensions ?? (s_sizes.TryGetValue(model, out int known) ? known : 256);
        var data = new JsonArray();
        int tokens = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            float[] vector = Vector(model, inputs[i], size);
            tokens += SimulatedModel.CountTokens(inputs[i]);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? Convert.ToBase64String(ToBytes(vector)) : new JsonArray([.. vector.Select(v => (JsonNode)v)]),
            });
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString(EmulatorJson.Options);
    }

    /// <summary>A unit vector drawn from the SHA-256 stream of the model and text.</summary>
    public static float[] Vector(string model, string text, int size)
    {
        var vector = new float[size];
        byte[] seed = SHA256.HashData(Encoding.UTF8.GetBytes(model + "\u0000" + text));
        Span<byte> block = stackalloc byte[32];
        double norm = 0;
        for (int i = 0; i < size; i++)
        {
            if (i % 8 == 0)
            {
                SHA256.HashData([.. seed, .. BitConverter.GetBytes(i)], block);
            }

            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(block[(i % 8 * 4)..]);
            vector[i] = (float)((bits / (double)uint.MaxValue * 2) - 1);
            norm += vector[i] * vector[i];
        }

        float scale = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < size; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    private static byte[] ToBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        }

        return bytes;
    }
}
