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
        var temp = full + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // Written beside the target and moved into place: a full disk never leaves a 0-byte or cut snapshot under the real name.
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                JsonSerializer.Create(Settings).Serialize(writer, snapshot);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new OsRollbackException("SchemaSnapshotWriteFailed", OsErrorCategory.WriteError,
                $"The schema snapshot could not be written to '{full}': {ex.Message}. No snapshot file was left behind.", full,
                "Free disk space or choose a writable folder, then try again.", ex);
        }
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
