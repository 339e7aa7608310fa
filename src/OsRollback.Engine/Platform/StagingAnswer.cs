using System.Text.Json;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>
/// The answer of Service Center's staging REST call (Staging_PublishWith2StepOption) as
/// OutSystems.SetupTools reads it (Lib/AppManagement.ps1, AppMgmt_ModulesPublish): a
/// <c>publishId</c>, 0 when the staging was refused, and <c>Messages[].REST_PublicationMessage{Message, Detail}</c>
/// saying why. Property names are read case-insensitively (SetupTools reads them through PowerShell).
/// </summary>
internal static class StagingAnswer
{
    public static long PublishId(string text, string stagingName)
    {
        var key = LifeTimeClient.ReadKey(text, "PublishId");
        return long.TryParse(key, out var id) ? id
            : throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult,
                "Service Center did not answer the staging publication with a publish id.", stagingName, "Check the publication in Service Center.");
    }

    /// <summary>Each message as "Message - Detail" (empty parts left out); none when the answer has no Messages.</summary>
    public static IReadOnlyList<string> Messages(string text)
    {
        var list = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || Property(doc.RootElement, "Messages") is not { ValueKind: JsonValueKind.Array } messages) return list;
            foreach (var item in messages.EnumerateArray())
            {
                var message = Property(item, "REST_PublicationMessage") is { ValueKind: JsonValueKind.Object } inner ? inner : item;
                var parts = new[] { Text(message, "Message"), Text(message, "Detail") }.Where(p => p.Length > 0).ToList();
                if (parts.Count > 0) list.Add(string.Join(" - ", parts));
            }
        }
        catch (JsonException) { }
        return list;
    }

    private static string Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()!.Trim() : "";

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }
}
