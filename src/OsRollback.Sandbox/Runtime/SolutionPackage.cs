using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Runtime;

/// <summary>
/// The package format the sandbox produces and accepts (.oap/.osp): a zip holding
/// <c>manifest.json</c> <c>{"applications":[{"key","name","version","versionKey"}],"modules":[{"key","name","kind","version","versionKey"}]}</c>.
/// An application's <c>version</c> is its tag label; a module's <c>version</c> is its Service
/// Center version number. <c>versionKey</c> (the LifeTime key) is optional when reading.
/// </summary>
public static class SolutionPackage
{
    public sealed record Contents(IReadOnlyList<AppVersionDef> Applications, IReadOnlyList<ModuleVersionDef> Modules);

    public static byte[] Build(IEnumerable<AppVersionDef> applications, IEnumerable<ModuleVersionDef> modules)
    {
        var manifest = new JsonObject
        {
            ["applications"] = new JsonArray(applications.Select(a => (JsonNode)new JsonObject
            {
                ["key"] = a.App.Key, ["name"] = a.App.Name, ["version"] = a.Tag, ["versionKey"] = a.Key,
            }).ToArray()),
            ["modules"] = new JsonArray(modules.Select(m => (JsonNode)new JsonObject
            {
                ["key"] = m.Module.Key, ["name"] = m.Module.Name, ["kind"] = m.Module.Kind,
                ["version"] = m.Number.ToString(CultureInfo.InvariantCulture), ["versionKey"] = m.Key,
            }).ToArray()),
        };
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("manifest.json", CompressionLevel.Fastest);
            using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            writer.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return stream.ToArray();
    }

    /// <summary>Reads a package; throws <see cref="FormatException"/> with a readable message when it is not one, or names unknown versions.</summary>
    public static Contents Read(byte[] package, Catalog catalog)
    {
        JsonNode? manifest;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
            var entry = zip.GetEntry("manifest.json") ?? throw new FormatException("The package has no manifest.json.");
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            manifest = JsonNode.Parse(reader.ReadToEnd());
        }
        catch (InvalidDataException)
        {
            throw new FormatException("The package is not a valid .oap/.osp file (not a zip archive).");
        }
        catch (JsonException ex)
        {
            throw new FormatException("The package manifest is not valid JSON: " + ex.Message);
        }
        if (manifest is not JsonObject root) throw new FormatException("The package manifest is empty.");
        var apps = new List<AppVersionDef>();
        foreach (var node in root["applications"] as JsonArray ?? [])
        {
            var versionKey = Text(node, "versionKey");
            var version = versionKey is not null ? catalog.AppVersion(versionKey) : null;
            if (version is null)
            {
                var app = (Text(node, "key") is { } key ? catalog.App(key) : null) ?? (Text(node, "name") is { } name ? catalog.AppByName(name) : null)
                    ?? throw new FormatException($"Unknown application in the package: {node?.ToJsonString()}.");
                var tag = Text(node, "version");
                version = app.Versions.FirstOrDefault(v => v.Tag == tag)
                    ?? throw new FormatException($"Unknown version '{tag}' of application {app.Name} in the package.");
            }
            apps.Add(version);
        }
        var modules = new List<ModuleVersionDef>();
        foreach (var node in root["modules"] as JsonArray ?? [])
        {
            var versionKey = Text(node, "versionKey");
            var version = versionKey is not null ? catalog.ModuleVersion(versionKey) : null;
            if (version is null)
            {
                var module = (Text(node, "key") is { } key ? catalog.Module(key) : null) ?? (Text(node, "name") is { } name ? catalog.ModuleByName(name) : null)
                    ?? throw new FormatException($"Unknown module in the package: {node?.ToJsonString()}.");
                var text = Text(node, "version");
                version = module.Versions.FirstOrDefault(v => v.Number.ToString(CultureInfo.InvariantCulture) == text || v.Tag == text || v.Key == text)
                    ?? throw new FormatException($"Unknown version '{text}' of module {module.Name} in the package.");
            }
            modules.Add(version);
        }
        if (modules.Count == 0) modules.AddRange(apps.SelectMany(a => a.ModuleVersions));
        if (modules.Count == 0) throw new FormatException("The package names no application and no module.");
        return new Contents(apps, modules.DistinctBy(m => m.Module.Key).ToList());
    }

    private static string? Text(JsonNode? node, string name)
    {
        if (node is not JsonObject obj) return null;
        foreach (var (key, value) in obj)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && value is JsonValue v)
                return v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
        return null;
    }
}
