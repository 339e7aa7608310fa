using System.Text.Json;

namespace OsRollback.Engine.Platform;

/// <summary>
/// The applications a deployment plan touches, read from GET /deployments/{key}/: the
/// <c>ApplicationKey</c> of each item of <c>Deployment.ApplicationOperations</c> (docs-product
/// api-deploy-app example), <c>ApplicationsToDeploy</c> (Swagger and the binary-deployment example:
/// ApplicationKey, ApplicationName, IsNew) and <c>ApplicationsToRedeploy</c> (outdated consumers a
/// start redeploys). In ApplicationsToDeploy and the operations, items without an ApplicationKey are
/// skipped (a bare string could be a version key). ApplicationsToRedeploy is an array of strings in
/// the Swagger (taken as application keys) and objects in the sandbox's older answers: both are read.
/// </summary>
internal static class PlanApplications
{
    public static IReadOnlySet<string> KeysOf(JsonElement detail)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (detail.ValueKind != JsonValueKind.Object) return keys;
        if (Property(detail, "Deployment") is { ValueKind: JsonValueKind.Object } plan) Collect(Property(plan, "ApplicationOperations"), keys);
        Collect(Property(detail, "ApplicationsToDeploy"), keys);
        Collect(Property(detail, "ApplicationsToRedeploy"), keys, stringsAreKeys: true);
        return keys;
    }

    private static void Collect(JsonElement? list, HashSet<string> keys, bool stringsAreKeys = false)
    {
        if (list is not { ValueKind: JsonValueKind.Array } items) return;
        foreach (var item in items.EnumerateArray())
        {
            if (stringsAreKeys && item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } plain)
                keys.Add(plain);
            if (item.ValueKind == JsonValueKind.Object && Property(item, "ApplicationKey") is { ValueKind: JsonValueKind.String } key && key.GetString() is { Length: > 0 } text)
                keys.Add(text);
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }
}
