using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Schema;

/// <summary>
/// schema-snapshot.json: a versioned JSON file, camelCase, written atomically (temp file then
/// move). Readers accept any 1.x file and refuse a newer major version.
/// </summary>
public static class SchemaSnapshotFile
{
    public const int CurrentFormatVersion = 1;
    public const string DefaultFileName = "schema-snapshot.json";

    internal static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        Converters = { new StringEnumConverter() },
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        Formatting = Formatting.Indented,
    };

    public static void Write(string path, SchemaSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, JsonConvert.SerializeObject(snapshot, Settings));
        File.Move(temp, full, overwrite: true);
    }

    public static SchemaSnapshot Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OsRollbackException("SchemaSnapshotNotFound", OsErrorCategory.ObjectNotFound,
                $"The schema snapshot '{full}' does not exist.", full,
                "Give the folder of a rollback point (it holds schema-snapshot.json) or the path of the snapshot file.");
        try
        {
            var json = JObject.Parse(File.ReadAllText(full));
            var version = json.Value<int?>("formatVersion") ?? 0;
            if (version < 1 || version > CurrentFormatVersion)
                throw new OsRollbackException("SchemaSnapshotVersionUnsupported", OsErrorCategory.InvalidData,
                    $"The schema snapshot '{full}' has format version {version}; this OsRollback reads version {CurrentFormatVersion}.", full,
                    "Update OsRollback to the version that wrote the snapshot.");
            return json.ToObject<SchemaSnapshot>(JsonSerializer.Create(Settings))!;
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException("SchemaSnapshotMalformed", OsErrorCategory.InvalidData,
                $"The schema snapshot '{full}' is not valid JSON: {ex.Message}", full,
                "Take a new rollback point, or restore the file from the rollback point's copy.", ex);
        }
    }

    /// <summary>
    /// Finds the snapshot of a rollback point: a folder holding schema-snapshot.json, its
    /// rollback-point.json (the snapshot sits beside it), or the snapshot file itself.
    /// </summary>
    public static string ResolveRollbackPointPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return Path.Combine(full, DefaultFileName);
        if (string.Equals(Path.GetFileName(full), "rollback-point.json", StringComparison.OrdinalIgnoreCase))
            return Path.Combine(Path.GetDirectoryName(full)!, DefaultFileName);
        return full;
    }
}
