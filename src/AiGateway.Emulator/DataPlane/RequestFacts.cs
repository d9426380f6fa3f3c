using System.Text.Json;

namespace AiGateway.Emulator;

/// <summary>The top-level body fields the gateway itself needs (for its cache key and its stream handling), read in one pass.</summary>
internal readonly record struct RequestFacts(string? Model, bool Stream)
{
    public static RequestFacts Read(ReadOnlySpan<byte> body)
    {
        string? model = null;
        bool stream = false;
        ForEachField(body, (ref Utf8JsonReader reader) =>
        {
            if (reader.ValueTextEquals("model"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                model = reader.GetString();
            }
            else if (reader.ValueTextEquals("stream"u8) && reader.Read())
            {
                stream = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                Skip(ref reader);
            }

            return true;
        });
        return new(model, stream);
    }

    /// <summary>The first of <paramref name="names"/> the body has as a top-level field, or null.</summary>
    public static string? FirstField(ReadOnlySpan<byte> body, IReadOnlyList<string> names)
    {
        string? found = null;
        ForEachField(body, (ref Utf8JsonReader reader) =>
        {
            foreach (string name in names)
            {
                if (reader.ValueTextEquals(name))
                {
                    found = name;
                    return false;
                }
            }

            Skip(ref reader);
            return true;
        });
        return found;
    }

    private delegate bool FieldVisitor(ref Utf8JsonReader reader);

    /// <summary>Calls <paramref name="visit"/> at each top-level property name until it returns false; it must consume the value.</summary>
    private static void ForEachField(ReadOnlySpan<byte> body, FieldVisitor visit)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && visit(ref reader))
            {
            }
        }
        catch (JsonException)
        {
            // Not JSON: the provider answers 400 for it; the gateway has nothing to read.
        }
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
