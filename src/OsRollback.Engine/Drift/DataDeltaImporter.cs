using System.Data.Common;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

public sealed class DataDeltaImportOptions
{
    /// <summary>Apply rows that conflict (changed in production since the export) anyway, overwriting production.</summary>
    public bool OverwriteConflicts { get; init; }
    /// <summary>Also apply deletes (off by default: a row only in production may have been written since the restore).</summary>
    public bool IncludeDeletes { get; init; }
    /// <summary>An existing verified backup of the target; when null, one is taken (SQLite) or the import is refused (SQL Server).</summary>
    public string? SafetyBackupPath { get; init; }
    /// <summary>Folder for the safety backup taken before writing; default: beside the delta file.</summary>
    public string? SafetyBackupDirectory { get; init; }
    /// <summary>Only these tables (patterns); empty = all.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];
    /// <summary>The safety backup seam; default <see cref="BackupServiceSafetyBackup"/> (SQLite and SQL Server).</summary>
    public ISafetyBackup SafetyBackup { get; init; } = new BackupServiceSafetyBackup();
    /// <summary>Import a delta written before deltas were sealed (format 2): nothing proves it is the file that was exported.</summary>
    public bool AllowUnsealed { get; init; }
    /// <summary>Import into a database other than the one the delta was exported for (never another environment's platform database).</summary>
    public bool AllowOtherDatabase { get; init; }
    /// <summary>The environment the catalog knows the target as (from its rollback points), when known.</summary>
    public string? TargetEnvironment { get; init; }
    /// <summary>The base (what production was restored to: the rollback point's backup); when given, every before image must equal it.</summary>
    public DatabaseTarget? Base { get; init; }
}

/// <summary>A lost change that production no longer agrees with, with the three versions of the row.</summary>
public sealed class DataDeltaConflict
{
    public string Table { get; init; } = "";
    public string Key { get; init; } = "";
    public RowDifferenceKind Operation { get; init; }
    public string Reason { get; init; } = "";
    public bool Applied { get; init; }
    /// <summary>The row production was restored to (null: the lost change inserted it).</summary>
    public IReadOnlyDictionary<string, object?>? Base { get; init; }
    /// <summary>The lost version, from the parallel database (null: the lost change deleted it).</summary>
    public IReadOnlyDictionary<string, object?>? Theirs { get; init; }
    /// <summary>Production's row at import, before anything was written (null: no such row).</summary>
    public IReadOnlyDictionary<string, object?>? Ours { get; init; }
    public override string ToString() => $"{Table} {Key}: {Reason}";
}

/// <summary>The outcome of an import for one table.</summary>
public sealed class DataDeltaImportResult
{
    public string Table { get; init; } = "";
    public string Database { get; init; } = "";
    public long Inserted { get; set; }
    public long Updated { get; set; }
    public long Deleted { get; set; }
    /// <summary>Rows already as the delta wants them (an import run twice).</summary>
    public long AlreadyApplied { get; set; }
    /// <summary>Deletes not applied (without IncludeDeletes).</summary>
    public long DeletesSkipped { get; set; }
    public List<DataDeltaConflict> Conflicts { get; } = new();
    public int ConflictCount => Conflicts.Count;
    public string? SafetyBackupPath { get; init; }
}

/// <summary>
/// Applies a three-way delta (format 2 or 3) to production. The whole file is checked first (its
/// seal, its rows, its tables: application tables only, its target and, when reachable, its
/// before images against the base), then a verified safety backup is taken, then everything is
/// written in one transaction, streaming one row at a time: inserts and updates parents first,
/// deletes children first, identity values kept. A lost change is applied only where production
/// still equals the base for that row; otherwise it is a conflict (with base, theirs and ours),
/// as is a child whose parent is a conflict; conflicts are left alone unless
/// <see cref="DataDeltaImportOptions.OverwriteConflicts"/> is set. The seal is checked again
/// while the rows are written, so a file changed during the import is rolled back.
/// </summary>
public static class DataDeltaImporter
{
    public static IReadOnlyList<DataDeltaImportResult> Import(DatabaseTarget target, string deltaPath, DataDeltaImportOptions? options, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        options ??= new DataDeltaImportOptions();
        reporter ??= NullReporter.Instance;
        var header = DataDeltaFile.ReadHeader(deltaPath);
        if (header.FormatVersion < DataDeltaFile.ThreeWayFormatVersion)
            throw new OsRollbackException("DataDeltaNotThreeWay", OsErrorCategory.InvalidData,
                $"The data delta '{deltaPath}' has format version {header.FormatVersion}: it records production's rows at export, not the base, so rows written after the restore cannot be told apart from lost ones. Nothing was imported.",
                deltaPath, "Export the delta again with this version of Export-OsDataDelta (it takes the base from the rollback point).");
        // The table rule first: a header edited to list a platform table is refused as such, sealed again or not.
        DataDeltaTableRules.EnsureApplicationTables(deltaPath, header.Tables, target);
        var sealedFile = DataDeltaTrust.EnsureSealedOrAllowed(deltaPath, header, options, reporter);
        DataDeltaTrust.EnsureTarget(deltaPath, header, target, options, reporter);
        var tables = header.Tables.Where(t => SqlNames.MatchesAny(t.Table, options.Tables)).ToList();

        // Check the target before anything is written: every table and column must be there.
        // Every application table is read, so foreign keys from tables outside the delta are seen too.
        var schema = SchemaSnapshotReader.Capture(target, new SchemaCaptureOptions { TablePatterns = tables.Select(t => t.Table).Append("OSUSR_*").ToList(), IncludeRowCounts = false, IncludeEntityMapping = false }, reporter);
        foreach (var table in tables)
        {
            var found = schema.FindTable(table.Table);
            var missing = found is null ? table.Columns : table.Columns.Where(c => found.FindColumn(c) is null).ToList();
            if (missing.Count > 0)
                throw new OsRollbackException("DeltaTargetSchemaMismatch", OsErrorCategory.InvalidData,
                    found is null ? $"The table {table.Table} of the delta does not exist in {target.DisplayName}."
                                  : $"The table {table.Table} in {target.DisplayName} lacks the columns {string.Join(", ", missing)} of the delta.",
                    table.Table, "Nothing was imported. Import into the database the delta was exported for, or leave the table out with -Table.");
        }
        // One pass over the file: every line, the seal and, when the base is reachable, each before image against it.
        if (options.Base is { } baseTarget)
        {
            using var baseCheck = new DataDeltaBaseCheck(deltaPath, tables, baseTarget, reporter);
            var selected = tables.Select(t => t.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);
            DataDeltaValidator.Validate(deltaPath, header, (row, table) => { if (selected.Contains(table.Table)) baseCheck.Check(row, table); }, cancellationToken);
            baseCheck.Flush();
        }
        else
        {
            reporter.Verbose("No base was given: the before images are checked against production only (as conflicts).");
            DataDeltaValidator.Validate(deltaPath, header, cancellationToken);
        }

        string backup;
        if (options.SafetyBackupPath is { } given)
        {
            options.SafetyBackup.Verify(target, given, reporter);
            backup = Path.GetFullPath(given);
        }
        else
        {
            backup = options.SafetyBackup.Take(target, options.SafetyBackupDirectory ?? Path.GetDirectoryName(Path.GetFullPath(deltaPath))!, reporter);
        }

        var results = tables.ToDictionary(t => t.Table, t => new DataDeltaImportResult { Table = t.Table, Database = target.DisplayName, SafetyBackupPath = backup }, StringComparer.OrdinalIgnoreCase);
        using (var connection = target.OpenConnection())
            ApplyAll(connection, target.Engine, tables, DataDeltaFile.ReadRows(deltaPath, header.Seal, checkSeal: sealedFile), results, options, reporter, new ConflictKeys(schema), backup, cancellationToken);
        reporter.Progress(new ProgressUpdate("Importing the data delta", "Done", 100, Completed: true));
        foreach (var result in results.Values)
            reporter.Verbose($"{result.Table}: {result.Inserted} inserted, {result.Updated} updated, {result.Deleted} deleted, {result.Conflicts.Count} conflicts, {result.AlreadyApplied} already applied.");
        foreach (var result in results.Values.Where(r => r.Conflicts.Count > 0))
            reporter.Warning($"{result.Table}: {result.Conflicts.Count} conflicting rows {(options.OverwriteConflicts ? "overwritten" : "left as they are in production")} (see Conflicts).");
        return tables.Select(t => results[t.Table]).ToList();
    }

    /// <summary>
    /// Writes every selected row in one transaction, one row in memory at a time: inserts and
    /// updates parents first as the rows stream past, then deletes children first, each table's
    /// deletes read again from <paramref name="rows"/> (a file re-read, not a list held).
    /// </summary>
    internal static void ApplyAll(DbConnection connection, DatabaseEngineKind engine, IReadOnlyList<DataDeltaTable> tables, IEnumerable<DataDeltaRow> rows,
        IReadOnlyDictionary<string, DataDeltaImportResult> results, DataDeltaImportOptions options, IOperationReporter reporter, ConflictKeys conflicts, string backup, CancellationToken cancellationToken)
    {
        var data = DatabaseProviders.Default.For(engine).TableData;
        var byName = tables.ToDictionary(t => t.Table, StringComparer.OrdinalIgnoreCase);
        var withDeletes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var transaction = connection.BeginTransaction();
        var current = "";
        try
        {
            var index = 0;
            DataDeltaTableWriter? writer = null;
            try
            {
                long count = 0;
                foreach (var row in rows)
                {
                    if (++count % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
                    if (!byName.TryGetValue(row.Table, out var table)) continue;
                    if (!string.Equals(current, table.Table, StringComparison.Ordinal))
                    {
                        writer?.Finish();
                        writer?.Dispose();
                        current = table.Table;
                        writer = new DataDeltaTableWriter(connection, transaction, data, table, results[table.Table], options, reporter, conflicts);
                        reporter.Progress(new ProgressUpdate("Importing the data delta", $"{table.Table}: {table.Inserted + table.Changed} rows", ++index * 100 / Math.Max(1, tables.Count)));
                    }
                    if (row.Operation == RowDifferenceKind.Deleted)
                    {
                        if (options.IncludeDeletes) withDeletes.Add(table.Table);
                        else results[table.Table].DeletesSkipped++;
                        continue;
                    }
                    writer!.Apply(row);
                }
                writer?.Finish();
            }
            finally { writer?.Dispose(); }
            foreach (var table in tables.Reverse().Where(t => withDeletes.Contains(t.Table)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                current = table.Table;
                using var deletes = new DataDeltaTableWriter(connection, transaction, data, table, results[table.Table], options, reporter, conflicts);
                foreach (var row in rows)
                    if (row.Operation == RowDifferenceKind.Deleted && string.Equals(row.Table, table.Table, StringComparison.OrdinalIgnoreCase)) deletes.Apply(row);
            }
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or FormatException or InvalidCastException)
        {
            transaction.Rollback();
            throw new OsRollbackException("DataDeltaImportFailed", OsErrorCategory.WriteError,
                $"Importing {current} failed: {ex.Message}. The import ran in one transaction, which was rolled back: nothing was committed.",
                current, $"Fix the cause and run the import again; production is as it was before the import (the safety backup {backup} holds it too).", ex);
        }
    }

    internal static string ReferenceCheckSql(ITableData data, string? schema, string table, IReadOnlyList<string> columns) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {data.QuoteTable(schema, table)} WHERE {string.Join(" AND ", columns.Select((c, i) => $"{data.Quote(c)} = @k{i}"))}) THEN 1 ELSE 0 END";

    /// <summary>The statements the import runs for one table, for review and for the T-SQL parse tests.</summary>
    public static IReadOnlyList<string> DescribeStatements(DatabaseEngineKind engine, DataDeltaTable table) => DataDeltaTableWriter.Describe(engine, table);
}
