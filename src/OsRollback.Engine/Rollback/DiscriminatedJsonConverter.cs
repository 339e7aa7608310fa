using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// Reads a JSON object as the subtype of <typeparamref name="TBase"/> named by its discriminator
/// property. The subtypes are every concrete subclass in the engine assembly, so a new one needs
/// no registration. Writing uses the runtime type (the discriminator is a property of the base).
/// </summary>
internal sealed class DiscriminatedJsonConverter<TBase> : JsonConverter where TBase : class
{
    private readonly string _property;
    private readonly Dictionary<string, Type> _types;

    public DiscriminatedJsonConverter(string property, Func<Type, string> nameOf)
    {
        _property = property;
        _types = typeof(TBase).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(TBase).IsAssignableFrom(t))
            .ToDictionary(nameOf, t => t, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<Type> Types => _types.Values;

    public override bool CanConvert(Type objectType) => objectType == typeof(TBase);
    public override bool CanWrite => false;

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) => throw new NotSupportedException();

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null) return null;
        var json = JObject.Load(reader);
        var name = json.GetValue(_property, StringComparison.OrdinalIgnoreCase)?.Value<string>();
        if (name is null || !_types.TryGetValue(name, out var type))
        {
            throw new JsonSerializationException($"unknown {_property} '{name}' of a {typeof(TBase).Name} (known: {string.Join(", ", _types.Keys.Order())})");
        }
        return json.ToObject(type, serializer);
    }
}
