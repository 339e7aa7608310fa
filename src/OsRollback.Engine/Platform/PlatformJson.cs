using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OsRollback.Engine.Platform;

/// <summary>JSON settings for the LifeTime API: property names exactly as the contract writes them.</summary>
internal static class PlatformJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = null,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientDateConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Empty<T>()
    {
        if (typeof(T).IsArray) return (T)(object)Array.CreateInstance(typeof(T).GetElementType()!, 0);
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(List<>)) return Activator.CreateInstance<T>();
        return default!;
    }

    /// <summary>The text of a LifeTime error body <c>{"Errors":[...],"StatusCode":n}</c>, or the raw text (shortened).</summary>
    public static string ErrorText(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("Errors") && property.Value.ValueKind == JsonValueKind.Array)
                        return string.Join("; ", property.Value.EnumerateArray().Select(e => e.ToString()));
                }
            }
        }
        catch (JsonException) { }
        var text = body.Trim();
        if (text.StartsWith('<')) return ""; // an HTML error page says nothing useful
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private sealed class LenientDateConverter : JsonConverter<DateTimeOffset?>
    {
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String &&
                DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
                return value;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// Reads a list whose items may be strings or objects (LifeTime's plan lists): an object becomes
/// its ApplicationVersionKey, ModuleVersionKey, ApplicationKey, ModuleKey, Key or Name, else its JSON.
/// </summary>
internal sealed class LenientStringListConverter : JsonConverter<List<string>>
{
    private static readonly string[] Preferred = ["ApplicationVersionKey", "ModuleVersionKey", "ApplicationKey", "ModuleKey", "Key", "Name"];

    public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var list = new List<string>();
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return list;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                var value = Preferred.Select(p => item.EnumerateObject().FirstOrDefault(x => x.Name.Equals(p, StringComparison.OrdinalIgnoreCase)))
                    .FirstOrDefault(x => x.Value.ValueKind == JsonValueKind.String).Value;
                list.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : item.GetRawText());
            }
            else list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value.ToArray());
}
