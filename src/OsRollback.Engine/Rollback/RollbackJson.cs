using System.Security.Cryptography;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback;

/// <summary>JSON settings and file helpers shared by manifests, plans, journals and reports.</summary>
internal static class RollbackJson
{
    /// <summary>Plan steps by their "kind" (the step type's name without "Step").</summary>
    public static readonly DiscriminatedJsonConverter<Planning.RollbackStep> StepTypes = new("kind", Planning.RollbackStep.KindOf);

    /// <summary>Journal outcomes by their "type" (the outcome type's name).</summary>
    public static readonly DiscriminatedJsonConverter<Execution.StepOutcome> OutcomeTypes = new("type", t => t.Name);

    public static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        Formatting = Formatting.Indented,
        NullValueHandling = NullValueHandling.Include,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        DateFormatHandling = DateFormatHandling.IsoDateFormat,
        Converters = { new StringEnumConverter(), StepTypes, OutcomeTypes },
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    public static T Deserialize<T>(string text, string sourceName, string errorId, string what)
    {
        try
        {
            return JsonConvert.DeserializeObject<T>(text, Settings)
                ?? throw new JsonSerializationException("the file is empty");
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException(errorId, OsErrorCategory.InvalidData,
                $"'{sourceName}' is not a valid {what}: {ex.Message.Split(". Path", 2)[0]}.", sourceName,
                $"The file was changed or damaged after it was written; use another {what}, or create a new one.", ex);
        }
    }

    /// <summary>
    /// Writes through a temporary file and a rename, so a crash never leaves half a file. A failed
    /// write (disk full, no access, a file where a folder should be) removes the temporary file,
    /// leaves any earlier file as it was, and is an OsRollbackException (DiskFull or FileWriteFailed).
    /// </summary>
    public static void WriteAtomic(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(temp, text);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw WriteFailed(full, ex);
        }
    }

    internal static OsRollbackException WriteFailed(string path, Exception ex)
    {
        return IoErrors.IsDiskFull(ex)
            ? new OsRollbackException("DiskFull", OsErrorCategory.WriteError, $"The disk is full while writing '{path}': {ex.Message}", path,
                "Free space on that disk (or use another -CatalogPath / -Path) and run the command again; nothing half-written was left.", ex)
            : new OsRollbackException("FileWriteFailed", OsErrorCategory.WriteError, $"'{path}' could not be written: {ex.Message}", path,
                "Check that the folder exists as a folder and that this account can write to it, then run the command again.", ex);
    }

    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
