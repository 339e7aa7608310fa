using System.Text;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

public sealed class DataDeltaExportOptions
{
    public DataCompareOptions Compare { get; init; } = new();
    /// <summary>Also write the SQL script beside the file (name.sql), for the databases' engine.</summary>
    public bool IncludeScript { get; init; } = true;
}

/// <summary>
/// The three databases of a recovery. Base: what production was restored to (the rollback
/// point's backup). Parallel: the state before the rollback. Production: where the delta is
/// imported (named in the header; its rows are not read at export, they are checked at import).
/// </summary>
public sealed class DataDeltaSources
{
    public required DatabaseTarget Production { get; init; }
    public required DatabaseTarget Base { get; init; }
    public required DatabaseTarget Parallel { get; init; }
    /// <summary>The rollback point the base came from, recorded in the header.</summary>
    public string? RollbackPointId { get; init; }
    /// <summary>The environment of production (the rollback point's), recorded in the header.</summary>
    public string? Environment { get; init; }
}

/// <summary>What an export wrote; Path binds to Import-OsDataDelta -Path.</summary>
public sealed class DataDeltaExportResult
{
    public string Path { get; init; } = "";
    public string? ScriptPath { get; init; }
    public string Database { get; init; } = "";
    public string Source { get; init; } = "";
    /// <summary>The base the lost changes were computed against.</summary>
    public string Base { get; init; } = "";
    public string? RollbackPointId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Tables { get; init; }
    public long Inserted { get; init; }
    public long Changed { get; init; }
    public long Deleted { get; init; }
    /// <summary>Tables that were not compared (no primary key, only on one side), with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>
/// Writes the changes lost by the restore (parallel vs base: inserted, updated, deleted between
/// the deploy and the rollback) as a reviewable delta file with the base and parallel version of
/// each row, tables in foreign-key order, plus a SQL script. Files are written beside the target
/// and moved into place, so a failed export leaves no file that looks valid.
/// </summary>
public static class DataDeltaExporter
{
    /// <summary>Two-way form: the base is <paramref name="current"/> itself (right only while production still equals what it was restored to).</summary>
    public static DataDeltaExportResult Export(DatabaseTarget current, DatabaseTarget reference, string path, DataDeltaExportOptions? options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        Export(new DataDeltaSources { Production = current, Base = current, Parallel = reference }, path, options, reporter, cancellationToken);

    public static DataDeltaExportResult Export(DataDeltaSources sources, string path, DataDeltaExportOptions? options, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        try { return ExportCore(sources, path, options, reporter, cancellationToken); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("DataDeltaWriteFailed", OsErrorCategory.WriteError,
                $"The data delta could not be written to '{path}': {ex.Message}. No delta file was left behind.", path,
                "Free disk space or choose a writable -Path, then export again.", ex);
        }
    }

    private static DataDeltaExportResult ExportCore(DataDeltaSources sources, string path, DataDeltaExportOptions? options, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var current = sources.Base;
        var reference = sources.Parallel;
        options ??= new DataDeltaExportOptions();
        reporter ??= NullReporter.Instance;
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var work = full + ".parts";
        Directory.CreateDirectory(work);
        var createdAt = DateTimeOffset.UtcNow;
        try
        {
            var writers = new Dictionary<string, StreamWriter>(StringComparer.OrdinalIgnoreCase);
            var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var tables = new List<TableDataDifference>();
            var skipped = new List<string>();
            try
            {
                var comparer = new DataComparer(current, reference, options.Compare, reporter);
                foreach (var table in comparer.CompareTables((t, row) =>
                {
                    if (!writers.TryGetValue(t.Table, out var writer))
                    {
                        var part = System.IO.Path.Combine(work, writers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");
                        parts[t.Table] = part;
                        writers[t.Table] = writer = new StreamWriter(part, false, new UTF8Encoding(false)) { NewLine = "\n" }; // the seal hashes "\n" line ends
                    }
                    writer.WriteLine(DataDeltaFile.RowLine(ToDeltaRow(t, row)));
                }, cancellationToken))
                {
                    if (table.Status == TableCompareStatus.Compared) { if (table.HasDifferences) tables.Add(table); }
                    else skipped.Add($"{table.Table}: {table.Message}");
                }
            }
            finally
            {
                foreach (var w in writers.Values) w.Dispose();
            }

            var ordered = ForeignKeyOrder.ParentsFirst(tables, t => t.Table, t => (t.ReferenceTable?.ForeignKeys ?? []).Select(f => f.ReferencedTable), reporter);
            var header = new DataDeltaHeader
            {
                CreatedAt = createdAt,
                Database = sources.Production.DisplayName,
                Source = reference.DisplayName,
                Base = current.DisplayName,
                RollbackPointId = sources.RollbackPointId,
                Environment = sources.Environment,
                Engine = current.Engine,
                Since = options.Compare.Since,
                Tables = ordered.Select(t => new DataDeltaTable
                {
                    Table = t.Table, Schema = t.Schema, Entity = t.Entity, Module = t.Module,
                    KeyColumns = t.KeyColumns.ToList(), Columns = t.Columns.ToList(),
                    IdentityColumn = t.CurrentTable?.IdentityColumn is { } id && t.Columns.Contains(id, StringComparer.OrdinalIgnoreCase) ? id : null,
                    Inserted = t.Inserted, Changed = t.Changed, Deleted = t.Deleted,
                }).ToList(),
            };
            var partsInOrder = ordered.Where(t => parts.ContainsKey(t.Table)).Select(t => parts[t.Table]).ToList(); // no part: differences all outside the time filter
            header.Seal = Seal(header, partsInOrder);
            var temp = full + ".tmp";
            string? scriptPath = null;
            try
            {
                using (var output = new StreamWriter(temp, false, new UTF8Encoding(false)) { NewLine = "\n" })
                {
                    output.WriteLine(DataDeltaFile.HeaderLine(header));
                    foreach (var part in partsInOrder)
                    {
                        output.Flush();
                        using var input = File.OpenRead(part);
                        input.CopyTo(output.BaseStream);
                    }
                }
                if (options.IncludeScript)
                {
                    // The script is written from the finished temp file, and moved in before the delta: a delta never lacks its script.
                    scriptPath = System.IO.Path.ChangeExtension(full, ".sql");
                    var scriptTemp = scriptPath + ".tmp";
                    try
                    {
                        DataDeltaScript.WriteFile(temp, current.Engine, scriptTemp);
                        File.Move(scriptTemp, scriptPath, overwrite: true);
                    }
                    finally { TryDelete(scriptTemp); }
                }
                File.Move(temp, full, overwrite: true);
            }
            finally { TryDelete(temp); }
            var result = new DataDeltaExportResult
            {
                Path = full, ScriptPath = scriptPath, Database = sources.Production.DisplayName, Base = current.DisplayName, RollbackPointId = sources.RollbackPointId, Source = reference.DisplayName, CreatedAt = createdAt,
                Tables = ordered.Count, Inserted = ordered.Sum(t => t.Inserted), Changed = ordered.Sum(t => t.Changed), Deleted = ordered.Sum(t => t.Deleted),
                Skipped = skipped,
            };
            reporter.Verbose($"Wrote {full}: {result.Tables} tables, {result.Inserted} inserted, {result.Changed} changed, {result.Deleted} deleted rows.");
            return result;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The seal over the header (as it will be written, without its seal) and the part files' rows, read once more.</summary>
    private static DataDeltaSealInfo Seal(DataDeltaHeader header, IReadOnlyList<string> parts)
    {
        using var seal = new DataDeltaSeal(DataDeltaFile.HeaderLine(header));
        var buffer = new byte[1 << 16];
        foreach (var part in parts)
        {
            using var input = File.OpenRead(part);
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0) seal.AddRows(buffer.AsSpan(0, read));
        }
        return seal.Finish();
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static DataDeltaRow ToDeltaRow(TableDataDifference table, DataRowDifference row)
    {
        var key = new JObject();
        foreach (var (name, value) in row.KeyValues) key[name] = DeltaValueCodec.ToToken(value);
        return new DataDeltaRow
        {
            Table = table.Table,
            Operation = row.Kind,
            Key = key,
            Before = ToObject(row.CurrentValues, table.Columns),
            After = ToObject(row.ReferenceValues, table.Columns),
            ChangedColumns = row.ChangedColumns,
        };
    }

    private static JObject? ToObject(IReadOnlyDictionary<string, object?>? values, IReadOnlyList<string> columns)
    {
        if (values is null) return null;
        var o = new JObject();
        foreach (var c in columns) o[c] = DeltaValueCodec.ToToken(values[c]);
        return o;
    }
}

/// <summary>Orders tables parents before children along their foreign keys; cycles keep name order and are reported.</summary>
internal static class ForeignKeyOrder
{
    public static List<T> ParentsFirst<T>(IReadOnlyList<T> items, Func<T, string> name, Func<T, IEnumerable<string>> parents, IOperationReporter reporter)
    {
        var byName = items.ToDictionary(name, StringComparer.OrdinalIgnoreCase);
        var result = new List<T>();
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase); // 1 visiting, 2 done
        void Visit(T item)
        {
            var n = name(item);
            if (state.TryGetValue(n, out var s))
            {
                if (s == 1) reporter.Warning($"Tables reference each other in a cycle through {n}: they are applied in name order; foreign keys may need to be checked after the import.");
                return;
            }
            state[n] = 1;
            foreach (var p in parents(item).OrderBy(x => x, StringComparer.OrdinalIgnoreCase))
                if (!p.Equals(n, StringComparison.OrdinalIgnoreCase) && byName.TryGetValue(p, out var parent)) Visit(parent);
            state[n] = 2;
            result.Add(item);
        }
        foreach (var item in items.OrderBy(name, StringComparer.OrdinalIgnoreCase)) Visit(item);
        return result;
    }
}

/// <summary>Helpers for scripts written for review.</summary>
public static class SqlScriptText
{
    /// <summary>Comments out every line of a statement (a value or name with a line break cannot escape the comment).</summary>
    public static string CommentOut(string statement) => "-- " + statement.Replace("\r\n", "\n").Replace("\r", "\n").Replace("\n", "\n-- ");
}

/// <summary>The SQL script form of a delta, for SQL Server or SQLite: one transaction per table, deletes commented out.</summary>
public static class DataDeltaScript
{
    public static void WriteFile(string deltaPath, DatabaseEngineKind engine, string scriptPath)
    {
        using var writer = new StreamWriter(scriptPath, false, new UTF8Encoding(false));
        Write(deltaPath, engine, writer);
    }

    public static void Write(string deltaPath, DatabaseEngineKind engine, TextWriter writer)
    {
        var header = DataDeltaFile.ReadHeader(deltaPath);
        var tables = header.Tables.ToDictionary(t => t.Table, StringComparer.OrdinalIgnoreCase);
        var data = DatabaseProviders.Default.For(engine).TableData;
        string Literal(JToken? token) => data.Literal(DeltaValueCodec.FromToken(token));
        string Comment(string? s) => (s ?? "").Replace("\r", " ").Replace("\n", " ");
        writer.WriteLine("-- OsRollback data delta: REVIEW BEFORE RUNNING.");
        writer.WriteLine($"-- Into: {Comment(header.Database)}");
        writer.WriteLine($"-- From: {Comment(header.Source)}");
        writer.WriteLine($"-- Written: {header.CreatedAt:u}; rows: {header.Tables.Sum(t => t.Inserted)} inserted, {header.Tables.Sum(t => t.Changed)} changed, {header.Tables.Sum(t => t.Deleted)} deleted.");
        writer.WriteLine("-- Unlike Import-OsDataDelta, this script does not check for rows changed in production since the export,");
        writer.WriteLine("-- and takes no safety backup. Deletes are commented out. One transaction per table, parents first.");
        string? open = null;
        DataDeltaTable? table = null;
        var identityOn = false;
        void Close()
        {
            if (open is null) return;
            if (identityOn) writer.WriteLine(data.IdentityInsert(table!.Schema, table.Table, on: false) + ";");
            writer.WriteLine(data.CommitTransaction);
            open = null;
            identityOn = false;
        }
        foreach (var row in DataDeltaFile.ReadRows(deltaPath))
        {
            if (!string.Equals(open, row.Table, StringComparison.OrdinalIgnoreCase))
            {
                Close();
                table = tables[row.Table];
                open = row.Table;
                writer.WriteLine();
                writer.WriteLine($"-- {Comment(table.Table)} (entity {Comment(table.Entity)}, module {Comment(table.Module)}): {table.Inserted} inserted, {table.Changed} changed, {table.Deleted} deleted");
                writer.WriteLine(data.BeginTransaction);
                if (table.IdentityColumn is not null && table.Inserted > 0 && data.IdentityInsert(table.Schema, table.Table, on: true) is { } on)
                {
                    writer.WriteLine(on + ";");
                    identityOn = true;
                }
            }
            var t = data.QuoteTable(table!.Schema, table.Table);
            var where = string.Join(" AND ", table.KeyColumns.Select(k => $"{data.Quote(k)} = {Literal(row.Key[k])}"));
            switch (row.Operation)
            {
                case RowDifferenceKind.Inserted:
                    writer.WriteLine($"INSERT INTO {t} ({string.Join(", ", table.Columns.Select(data.Quote))}) VALUES ({string.Join(", ", table.Columns.Select(c => Literal(row.After![c])))});");
                    break;
                case RowDifferenceKind.Changed:
                    var set = row.ChangedColumns.Count > 0 ? row.ChangedColumns : table.Columns.Except(table.KeyColumns, StringComparer.OrdinalIgnoreCase).ToList();
                    writer.WriteLine($"UPDATE {t} SET {string.Join(", ", set.Select(c => $"{data.Quote(c)} = {Literal(row.After![c])}"))} WHERE {where};");
                    break;
                default:
                    writer.WriteLine(SqlScriptText.CommentOut($"DELETE FROM {t} WHERE {where};"));
                    break;
            }
        }
        Close();
    }
}
