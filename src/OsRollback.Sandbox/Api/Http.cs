using System.Text.Json;
using System.Text.Json.Serialization;

namespace OsRollback.Sandbox.Api;

/// <summary>JSON settings and answers shared by the endpoints.</summary>
internal static class Http
{
    /// <summary>LifeTime's JSON: property names exactly as written (PascalCase), case-insensitive when reading.</summary>
    public static readonly JsonSerializerOptions LifeTime = new()
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The sandbox's own endpoints use camelCase.</summary>
    public static readonly JsonSerializerOptions Sandbox = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static IResult Json(object value, int status = 200) => Results.Json(value, LifeTime, statusCode: status);

    /// <summary>The LifeTime error body: {"Errors":[...],"StatusCode":n}.</summary>
    public static IResult Error(int status, params string[] errors) => Results.Json(new { Errors = errors, StatusCode = status }, LifeTime, statusCode: status);

    public static Task WriteError(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { Errors = new[] { message }, StatusCode = status }, LifeTime));
    }

    /// <summary>Reads a boolean query value (true/True/1); <paramref name="valid"/> is false for anything else.</summary>
    public static bool QueryBool(HttpRequest request, string name, out bool valid)
    {
        valid = true;
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text)) return false;
        if (bool.TryParse(text, out var value)) return value;
        if (text == "1") return true;
        if (text == "0") return false;
        valid = false;
        return false;
    }

    public static async Task<JsonElement?> ReadJson(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => property.Value.GetRawText(),
                };
        return null;
    }

    public static JsonElement? Element(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }
}
