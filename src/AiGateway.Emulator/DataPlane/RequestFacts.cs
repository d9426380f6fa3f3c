using System.Text.Json;

namespace AiGateway.Emulator;

/// <summary>The two top-level body fields the gateway itself needs (for its cache key and its stream handling), read in one pass.</summary>
internal readonly record struct RequestFacts(string? Model, bool Stream)
{
    public static RequestFacts Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            string? model = null;
            bool stream = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
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
                    reader.Read();
                    reader.Skip();
                }
            }

            return new(model, stream);
        }
        catch (JsonException)
        {
            // Not JSON: the provider answers 400 for it; the gateway has nothing to key on.
            return default;
        }
    }
}
