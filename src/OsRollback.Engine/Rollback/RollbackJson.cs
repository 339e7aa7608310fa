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

    /// <summary>Writes through a temporary file and a rename, so a crash never leaves half a file.</summary>
    public static void WriteAtomic(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
