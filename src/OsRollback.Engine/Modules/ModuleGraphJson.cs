using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Modules;

/// <summary>
/// The module graph file written by Export-OsModuleGraph and read by Get-OsModuleOrder -Path.
/// Format (version 1), documented in docs/module-graph-format.md:
/// <code>
/// { "formatVersion": 1, "source": "...", "exportedAt": "2026-11-26T12:00:00Z",
///   "modules": [ { "name": "Orders_CS", "kind": "eSpace", "application": "Orders",
///                  "dependsOn": [ "Common_Lib" ] } ] }
/// </code>
/// </summary>
public static class ModuleGraphJson
{
    public const int FormatVersion = 1;

    public static IReadOnlyList<ModuleDefinition> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new OsRollbackException("ModuleGraphFileNotFound", OsErrorCategory.ObjectNotFound,
                $"The module graph file '{path}' does not exist.", path,
                "Check -Path, or create the file with Export-OsModuleGraph.");
        }
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static IReadOnlyList<ModuleDefinition> Read(TextReader text, string sourceName)
    {
        JObject root;
        try
        {
            using var json = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None };
            root = JObject.Load(json, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
        }
        catch (JsonReaderException ex)
        {
            throw new OsRollbackException("ModuleGraphMalformedJson", OsErrorCategory.InvalidData,
                $"'{sourceName}' is not valid JSON at line {ex.LineNumber}, position {ex.LinePosition}: {FirstSentence(ex.Message)}",
                sourceName, "Fix the file at that position, or export it again with Export-OsModuleGraph.", ex);
        }

        var version = root.Value<int?>("formatVersion") ?? FormatVersion;
        if (version > FormatVersion)
        {
            throw Invalid(sourceName, root, $"its formatVersion is {version}; this version of OsRollback reads up to {FormatVersion}",
                "Update OsRollback, or export the graph with this version.");
        }
        if (root["modules"] is not JArray modules)
        {
            throw Invalid(sourceName, root, "it has no \"modules\" array", "See docs/module-graph-format.md for the format.");
        }

        var result = new List<ModuleDefinition>(modules.Count);
        foreach (var item in modules)
        {
            if (item is not JObject module) throw Invalid(sourceName, item, "a module entry is not an object", "Each entry of \"modules\" is an object with a name.");
            var name = module.Value<string>("name");
            if (string.IsNullOrWhiteSpace(name)) throw Invalid(sourceName, module, "a module has no \"name\"", "Give every module a name.");
            var kindText = module.Value<string>("kind");
            if (!TryParseKind(kindText, out var kind)) throw Invalid(sourceName, module, $"module '{name}' has kind '{kindText}'", "Use \"eSpace\" or \"Extension\".");
            var dependsOn = module["dependsOn"] switch
            {
                null or { Type: JTokenType.Null } => Array.Empty<string>(),
                JArray array => array.Select(t => t.Type == JTokenType.String ? (string)t! : throw Invalid(sourceName, t, $"module '{name}' has a non-text entry in \"dependsOn\"", "List producer names as strings.")).ToArray(),
                var other => throw Invalid(sourceName, other, $"module '{name}' has a \"dependsOn\" that is not an array", "List producer names in an array."),
            };
            result.Add(new ModuleDefinition(name, kind, module.Value<string>("application"), dependsOn));
        }
        return result;
    }

    public static bool TryParseKind(string? text, out ModuleKind kind)
    {
        kind = ModuleKind.eSpace;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (text.Equals("Extension", StringComparison.OrdinalIgnoreCase) || text.Equals("Xif", StringComparison.OrdinalIgnoreCase)) { kind = ModuleKind.Extension; return true; }
        return text.Equals("eSpace", StringComparison.OrdinalIgnoreCase) || text.Equals("Module", StringComparison.OrdinalIgnoreCase);
    }

    public static void WriteFile(string path, IEnumerable<ModuleDefinition> modules, string source, DateTimeOffset exportedAt)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp))
            Write(writer, modules, source, exportedAt);
        File.Move(temp, path, overwrite: true);
    }

    public static void Write(TextWriter writer, IEnumerable<ModuleDefinition> modules, string source, DateTimeOffset exportedAt)
    {
        var root = new JObject
        {
            ["formatVersion"] = FormatVersion,
            ["source"] = source,
            ["exportedAt"] = exportedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["modules"] = new JArray(modules.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Select(m => new JObject
            {
                ["name"] = m.Name,
                ["kind"] = m.Kind.ToString(),
                ["application"] = m.Application,
                ["dependsOn"] = new JArray(m.DependsOn.OrderBy(d => d, StringComparer.OrdinalIgnoreCase)),
            })),
        };
        using var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, CloseOutput = false };
        root.WriteTo(json);
        writer.WriteLine();
    }

    private static OsRollbackException Invalid(string sourceName, JToken token, string problem, string action)
    {
        var info = (IJsonLineInfo)token;
        var where = info.HasLineInfo() ? $" (line {info.LineNumber}, position {info.LinePosition})" : "";
        return new OsRollbackException("ModuleGraphInvalid", OsErrorCategory.InvalidData,
            $"'{sourceName}' is not a module graph: {problem}{where}.", sourceName, action);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
