using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>The header (first line) of a data delta file.</summary>
public sealed class DataDeltaHeader
{
    public string Format { get; set; } = DataDeltaFile.FormatName;
    public int FormatVersion { get; set; } = DataDeltaFile.CurrentFormatVersion;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The database the delta applies to (production, after the restore).</summary>
    public string Database { get; set; } = "";
    /// <summary>Where the rows come from (the parallel database).</summary>
    public string Source { get; set; } = "";
    /// <summary>Version 2: the base the lost changes were computed against (what production was restored to).</summary>
    public string? Base { get; set; }
    /// <summary>Version 2: the rollback point whose backup is the base, when known.</summary>
    public string? RollbackPointId { get; set; }
    public DatabaseEngineKind Engine { get; set; }
    public DateTime? Since { get; set; }
    /// <summary>Version 3: the environment the delta was exported for (from the rollback point), when known.</summary>
    public string? Environment { get; set; }
    /// <summary>Tables in foreign-key order, parents first.</summary>
    public List<DataDeltaTable> Tables { get; set; } = new();
    /// <summary>Version 3: the digest over this header (without the seal) and every row line.</summary>
    public DataDeltaSealInfo? Seal { get; set; }
}

public sealed class DataDeltaTable
{
    public string Table { get; set; } = "";
    public string? Schema { get; set; }
    public string? Entity { get; set; }
    public string? Module { get; set; }
    public List<string> KeyColumns { get; set; } = new();
    public List<string> Columns { get; set; } = new();
    public string? IdentityColumn { get; set; }
    public long Inserted { get; set; }
    public long Changed { get; set; }
    public long Deleted { get; set; }
}

/// <summary>
/// One lost change: op is insert, update or delete. Version 2: before is the base row (what
/// production was restored to; null for insert), after the parallel database's row (null for delete).
/// Version 1 had production's row at export as before.
/// </summary>
public sealed class DataDeltaRow
{
    /// <summary>The line of the file the row was read from (1 is the header).</summary>
    public int Line { get; init; }
    public string Table { get; init; } = "";
    public RowDifferenceKind Operation { get; init; }
    public JObject Key { get; init; } = new();
    public JObject? Before { get; init; }
    public JObject? After { get; init; }
    public IReadOnlyList<string> ChangedColumns { get; init; } = [];
}

/// <summary>
/// The delta file: JSON lines. Line 1 is the header (<see cref="DataDeltaHeader"/>); then one
/// line per row, grouped by table in foreign-key order. Values that JSON cannot carry exactly
/// are tagged: {"$decimal":"1.50"}, {"$datetime":"2024-01-02T03:04:05.0000000"}, {"$binary":"base64"},
/// {"$guid":".."}, {"$datetimeoffset":".."}, {"$time":".."}.
/// </summary>
public static class DataDeltaFile
{
    public const string FormatName = "osrollback-data-delta";
    public const int CurrentFormatVersion = 3;
    /// <summary>The first version whose before images are the base (three-way import).</summary>
    public const int ThreeWayFormatVersion = 2;
    /// <summary>The first version whose header carries a seal over the header and the rows.</summary>
    public const int SealedFormatVersion = 3;

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
        Converters = { new Newtonsoft.Json.Converters.StringEnumConverter() },
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.None,
    });

    public static string HeaderLine(DataDeltaHeader header) => JObject.FromObject(header, Serializer).ToString(Formatting.None);

    public static string RowLine(DataDeltaRow row)
    {
        var o = new JObject
        {
            ["table"] = row.Table,
            ["op"] = row.Operation switch { RowDifferenceKind.Inserted => "insert", RowDifferenceKind.Deleted => "delete", _ => "update" },
            ["key"] = row.Key,
        };
        if (row.ChangedColumns.Count > 0) o["changed"] = new JArray(row.ChangedColumns);
        if (row.Before is not null) o["before"] = row.Before;
        if (row.After is not null) o["after"] = row.After;
        return o.ToString(Formatting.None);
    }

    public static DataDeltaHeader ReadHeader(string path)
    {
        var full = CheckExists(path);
        using var reader = new StreamReader(full);
        var first = reader.ReadLine();
        return ParseHeader(first, full);
    }

    public static IEnumerable<DataDeltaRow> ReadRows(string path) => ReadRows(path, null);

    /// <summary>
    /// Streams the rows; with <paramref name="seal"/>, checks at the end that the file read (header
    /// included) is the file sealed at export, and throws DataDeltaTampered otherwise.
    /// </summary>
    public static IEnumerable<DataDeltaRow> ReadRows(string path, DataDeltaSealInfo? seal, bool checkSeal = false)
    {
        var full = CheckExists(path);
        DataDeltaSeal? hash = null;
        try
        {
            // Each line is read as bytes once: those bytes are hashed for the seal and parsed, nothing else.
            foreach (var (number, line) in DataDeltaRowReader.Lines(full))
            {
                if (number == 1)
                {
                    if (checkSeal) hash = new DataDeltaSeal(DataDeltaRowReader.Text(line.Span));
                    continue;
                }
                if (line.Length == 0) continue;
                hash?.AddRow(line.Span);
                yield return ParseRow(line.Span, number, full);
            }
            hash?.Verify(seal, full);
        }
        finally { hash?.Dispose(); }
    }

    private static DataDeltaRow ParseRow(ReadOnlySpan<byte> line, int number, string full)
    {
        try
        {
            var (table, op, key, before, after, changed) = DataDeltaRowReader.Parse(line);
            return new DataDeltaRow
            {
                Line = number,
                Table = table ?? throw Malformed(full, $"line {number} has no table"),
                Operation = op switch
                {
                    "insert" => RowDifferenceKind.Inserted,
                    "update" => RowDifferenceKind.Changed,
                    "delete" => RowDifferenceKind.Deleted,
                    _ => throw Malformed(full, $"line {number} has an unknown op '{op}'"),
                },
                Key = key ?? throw Malformed(full, $"line {number} has no key"),
                Before = before,
                After = after,
                ChangedColumns = changed ?? [],
            };
        }
        catch (System.Text.Json.JsonException ex) { throw Malformed(full, $"line {number}: {ex.Message}", ex); }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or FormatException or ArgumentException) { throw Malformed(full, $"line {number}: {ex.Message}", ex); }
    }

    private static DataDeltaHeader ParseHeader(string? line, string path)
    {
        if (string.IsNullOrWhiteSpace(line)) throw Malformed(path, "the file is empty");
        try
        {
            var o = Parse(line);
            if (o.Value<string>("format") != FormatName) throw Malformed(path, "the first line is not an OsRollback data delta header");
            var version = o.Value<int?>("formatVersion") ?? 0;
            if (version < 1 || version > CurrentFormatVersion)
                throw new OsRollbackException("DataDeltaVersionUnsupported", OsErrorCategory.InvalidData,
                    $"The data delta '{path}' has format version {version}; this OsRollback reads versions 1 to {CurrentFormatVersion}.", path,
                    "Use the OsRollback version that wrote the file.");
            return o.ToObject<DataDeltaHeader>(Serializer)!;
        }
        catch (JsonException ex) { throw Malformed(path, ex.Message, ex); }
    }

    internal static JObject Parse(string line)
    {
        using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
        return JObject.Load(reader);
    }

    private static string CheckExists(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OsRollbackException("DataDeltaNotFound", OsErrorCategory.ObjectNotFound, $"The data delta '{full}' does not exist.", full,
                "Give the path of a file written by Export-OsDataDelta.");
        return full;
    }

    private static OsRollbackException Malformed(string path, string detail, Exception? inner = null) =>
        new("DataDeltaMalformed", OsErrorCategory.InvalidData, $"The data delta '{path}' cannot be read: {detail}.", path,
            "Export the delta again with Export-OsDataDelta; do not edit the file by hand except to remove whole row lines.", inner);
}

/// <summary>Database values to and from JSON, exactly.</summary>
public static class DeltaValueCodec
{
    public static JToken ToToken(object? value) => DbValues.Normalize(value) switch
    {
        null => JValue.CreateNull(),
        string s => new JValue(s),
        bool b => new JValue(b),
        long or int or short or byte or sbyte or ushort or uint => new JValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double d => new JValue(d),
        float f => new JValue((double)f),
        decimal m => new JObject { ["$decimal"] = m.ToString(CultureInfo.InvariantCulture) },
        DateTime dt => new JObject { ["$datetime"] = dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) },
        DateTimeOffset o => new JObject { ["$datetimeoffset"] = o.ToString("o", CultureInfo.InvariantCulture) },
        TimeSpan t => new JObject { ["$time"] = t.ToString("c", CultureInfo.InvariantCulture) },
        Guid g => new JObject { ["$guid"] = g.ToString() },
        byte[] bytes => new JObject { ["$binary"] = Convert.ToBase64String(bytes) },
        var other => new JValue(Convert.ToString(other, CultureInfo.InvariantCulture)),
    };

    public static object? FromToken(JToken? token)
    {
        switch (token)
        {
            case null: return null;
            case JValue v:
                return v.Type switch
                {
                    JTokenType.Null or JTokenType.Undefined => null,
                    JTokenType.Integer => Convert.ToInt64(v.Value, CultureInfo.InvariantCulture),
                    JTokenType.Float => Convert.ToDouble(v.Value, CultureInfo.InvariantCulture),
                    JTokenType.Boolean => (bool)v.Value!,
                    _ => Convert.ToString(v.Value, CultureInfo.InvariantCulture),
                };
            case JObject o when o.Count == 1:
                var p = o.Properties().First();
                var text = (string?)p.Value ?? "";
                return p.Name switch
                {
                    "$decimal" => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                    "$datetime" => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None),
                    "$datetimeoffset" => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    "$time" => TimeSpan.ParseExact(text, "c", CultureInfo.InvariantCulture),
                    "$guid" => Guid.Parse(text),
                    "$binary" => Convert.FromBase64String(text),
                    _ => throw new FormatException($"Unknown value tag '{p.Name}'."),
                };
            default: throw new FormatException($"Unexpected value {token.ToString(Formatting.None)}.");
        }
    }

    /// <summary>A SQL literal for scripts, in the engine's form (values travel as parameters everywhere else).</summary>
    public static string ToLiteral(DatabaseEngineKind engine, object? value) => DatabaseProviders.Default.For(engine).TableData.Literal(value);
}
