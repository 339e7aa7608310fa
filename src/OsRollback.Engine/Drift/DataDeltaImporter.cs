using System.Data.Common;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
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
/// Applies a three-way delta (format 2) to production. The whole file is validated first, then
/// a verified safety backup is taken, then everything is written in one transaction: inserts
/// and updates parents first, deletes children first, identity values kept. A lost change is
/// applied only where production still equals the base for that row; otherwise it is a conflict
/// (with base, theirs and ours), as is a child whose parent is a conflict; conflicts are left
/// alone unless <see cref="DataDeltaImportOptions.OverwriteConflicts"/> is set.
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
        DataDeltaValidator.Validate(deltaPath, header, cancellationToken);
        var tables = header.Tables.Where(t => SqlNames.MatchesAny(t.Table, options.Tables)).ToList();

        if (!string.Equals(header.Database, target.DisplayName, StringComparison.OrdinalIgnoreCase))
            reporter.Warning($"The delta was exported for {header.Database}; it is being imported into {target.DisplayName}.");

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
            ApplyAll(connection, target.Engine, tables, DataDeltaFile.ReadRows(deltaPath), results, options, reporter, new ConflictKeys(schema), backup, cancellationToken);
        reporter.Progress(new ProgressUpdate("Importing the data delta", "Done", 100, Completed: true));
        foreach (var result in results.Values)
            reporter.Verbose($"{result.Table}: {result.Inserted} inserted, {result.Updated} updated, {result.Deleted} deleted, {result.Conflicts.Count} conflicts, {result.AlreadyApplied} already applied.");
        foreach (var result in results.Values.Where(r => r.Conflicts.Count > 0))
            reporter.Warning($"{result.Table}: {result.Conflicts.Count} conflicting rows {(options.OverwriteConflicts ? "overwritten" : "left as they are in production")} (see Conflicts).");
        return tables.Select(t => results[t.Table]).ToList();
    }

    /// <summary>Writes every selected row in one transaction: inserts and updates parents first, then deletes children first.</summary>
    internal static void ApplyAll(DbConnection connection, DatabaseEngineKind engine, IReadOnlyList<DataDeltaTable> tables, IEnumerable<DataDeltaRow> rows,
        IReadOnlyDictionary<string, DataDeltaImportResult> results, DataDeltaImportOptions options, IOperationReporter reporter, ConflictKeys conflicts, string backup, CancellationToken cancellationToken)
    {
        var byName = tables.ToDictionary(t => t.Table, StringComparer.OrdinalIgnoreCase);
        var deletes = new Dictionary<string, List<DataDeltaRow>>(StringComparer.OrdinalIgnoreCase);
        using var transaction = connection.BeginTransaction();
        var current = "";
        try
        {
            var index = 0;
            foreach (var group in GroupByTable(rows))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!byName.TryGetValue(group.Table, out var table)) continue;
                current = table.Table;
                var result = results[table.Table];
                var writes = new List<DataDeltaRow>();
                foreach (var row in group.Rows)
                {
                    if (row.Operation == RowDifferenceKind.Deleted)
                    {
                        if (options.IncludeDeletes) { if (!deletes.TryGetValue(table.Table, out var l)) deletes[table.Table] = l = new(); l.Add(row); }
                        else result.DeletesSkipped++;
                    }
                    else writes.Add(row);
                }
                reporter.Progress(new ProgressUpdate("Importing the data delta", $"{table.Table}: {writes.Count} rows", ++index * 100 / Math.Max(1, tables.Count)));
                if (writes.Count > 0) ApplyTable(connection, transaction, engine, table, writes, result, options, reporter, conflicts);
            }
            foreach (var table in tables.Reverse())
            {
                if (!deletes.TryGetValue(table.Table, out var list)) continue;
                current = table.Table;
                ApplyTable(connection, transaction, engine, table, list, results[table.Table], options, reporter, conflicts);
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

    private static IEnumerable<(string Table, List<DataDeltaRow> Rows)> GroupByTable(IEnumerable<DataDeltaRow> rows)
    {
        string? current = null;
        List<DataDeltaRow>? list = null;
        foreach (var row in rows)
        {
            if (current is null || !string.Equals(current, row.Table, StringComparison.OrdinalIgnoreCase))
            {
                if (list is not null) yield return (current!, list);
                current = row.Table;
                list = new();
            }
            list!.Add(row);
        }
        if (list is not null) yield return (current!, list);
    }

    internal static void ApplyTable(DbConnection connection, DbTransaction transaction, DatabaseEngineKind engine, DataDeltaTable table, List<DataDeltaRow> rows,
        DataDeltaImportResult result, DataDeltaImportOptions options, IOperationReporter reporter, ConflictKeys conflicts)
    {
        var quoted = SqlNames.QuoteTable(engine, table.Schema, table.Table);
        string Q(string c) => SqlNames.Quote(engine, c);
        var where = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{Q(k)} = @k{i}"));
        var selectSql = $"SELECT {string.Join(", ", table.Columns.Select(Q))} FROM {quoted} WHERE {where}";
        // SQL Server allows IDENTITY_INSERT on one table per session at a time: on for this table only.
        var identityInsert = engine == DatabaseEngineKind.SqlServer && table.IdentityColumn is not null && rows.Any(r => r.Operation != RowDifferenceKind.Deleted);
        if (identityInsert) Execute(connection, transaction, $"SET IDENTITY_INSERT {quoted} ON");
        foreach (var row in rows)
        {
            var keyValues = table.KeyColumns.Select(k => DeltaValueCodec.FromToken(row.Key[k])).ToArray();
            var keyText = DbValues.KeyText(table.KeyColumns, keyValues);
            var existing = ReadRow(connection, transaction, selectSql, keyValues, table.Columns);
            string? conflict = null;
            var keep = false;
            var action = row.Operation;
            switch (row.Operation)
            {
                case RowDifferenceKind.Inserted:
                    if (existing is not null)
                    {
                        if (Matches(existing, row.After!, table.Columns)) { result.AlreadyApplied++; continue; }
                        conflict = "production has a different row with this key (written after the restore)";
                        action = RowDifferenceKind.Changed;
                    }
                    break;
                case RowDifferenceKind.Changed:
                    if (existing is null) { conflict = "the row was deleted in production after the restore"; action = RowDifferenceKind.Inserted; }
                    else if (Matches(existing, row.After!, table.Columns)) { result.AlreadyApplied++; continue; }
                    else if (!Matches(existing, row.Before!, table.Columns)) conflict = "the row was changed in production after the restore";
                    break;
                default:
                    if (existing is null) { result.AlreadyApplied++; continue; }
                    if (!Matches(existing, row.Before!, table.Columns)) conflict = "the row was changed in production after the restore";
                    else if (ReferencedBy(connection, transaction, engine, table, keyValues, conflicts) is { } child)
                    {
                        // Deleting it would need production's own rows deleted first: never applied, not even with OverwriteConflicts.
                        conflict = $"rows of {child} written in production after the restore still reference it";
                        keep = true;
                    }
                    break;
            }
            if (conflict is null && row.Operation != RowDifferenceKind.Deleted && conflicts.ParentInConflict(table.Table, row.After!) is { } parent)
                conflict = $"its parent {parent} is a conflict";
            if (conflict is null && row.Operation != RowDifferenceKind.Deleted && MissingParent(connection, transaction, engine, table, row.After!, conflicts) is { } missing)
            {
                // Production deleted the parent after the restore: the lost row would point at nothing.
                conflict = $"its parent {missing} does not exist in production";
                keep = true;
            }
            if (conflict is not null)
            {
                // Only a row whose identity differs in production makes its lost children conflicts.
                if (action != row.Operation || row.Operation == RowDifferenceKind.Inserted && existing is not null || conflict.StartsWith("its parent", StringComparison.Ordinal))
                    conflicts.Add(table.Table, table.KeyColumns, keyText);
                result.Conflicts.Add(new DataDeltaConflict
                {
                    Table = table.Table, Key = keyText, Operation = row.Operation, Reason = conflict, Applied = options.OverwriteConflicts && !keep,
                    Base = Values(row.Before, table.Columns), Theirs = Values(row.After, table.Columns),
                    Ours = existing is null ? null : table.Columns.Select((c, i) => (c, existing[i])).ToDictionary(x => x.c, x => x.Item2, StringComparer.OrdinalIgnoreCase),
                });
                reporter.Verbose($"{table.Table} {keyText}: conflict, {conflict}.");
                if (!options.OverwriteConflicts || keep) continue;
            }
            switch (action)
            {
                case RowDifferenceKind.Inserted:
                    ExecuteRow(connection, transaction,
                        $"INSERT INTO {quoted} ({string.Join(", ", table.Columns.Select(Q))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@v{i}"))})",
                        table.Columns.Select(c => DeltaValueCodec.FromToken(row.After![c])).ToArray(), []);
                    result.Inserted++;
                    break;
                case RowDifferenceKind.Changed:
                    var set = table.Columns.Except(table.KeyColumns, StringComparer.OrdinalIgnoreCase).ToList();
                    ExecuteRow(connection, transaction,
                        $"UPDATE {quoted} SET {string.Join(", ", set.Select((c, i) => $"{Q(c)} = @v{i}"))} WHERE {where}",
                        set.Select(c => DeltaValueCodec.FromToken(row.After![c])).ToArray(), keyValues);
                    result.Updated++;
                    break;
                default:
                    ExecuteRow(connection, transaction, $"DELETE FROM {quoted} WHERE {where}", [], keyValues);
                    result.Deleted++;
                    break;
            }
        }
        if (identityInsert) Execute(connection, transaction, $"SET IDENTITY_INSERT {quoted} OFF");
    }

    /// <summary>The first table whose rows reference the row with <paramref name="key"/>, or null.</summary>
    private static string? ReferencedBy(DbConnection connection, DbTransaction transaction, DatabaseEngineKind engine, DataDeltaTable table, object?[] key, ConflictKeys conflicts)
    {
        foreach (var (child, columns) in conflicts.ReferencesTo(table.Table, table.KeyColumns))
        {
            using var command = Command(connection, transaction, ReferenceCheckSql(engine, child.Schema, child.Name, columns), [], key);
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0) return child.Name;
        }
        return null;
    }

    /// <summary>"TABLE ID=5" when a foreign key of the row points at a parent production does not have, else null.</summary>
    private static string? MissingParent(DbConnection connection, DbTransaction transaction, DatabaseEngineKind engine, DataDeltaTable table, JObject after, ConflictKeys conflicts)
    {
        foreach (var (parent, columns, values) in conflicts.ParentsOf(table.Table, after))
        {
            using var command = Command(connection, transaction, ReferenceCheckSql(engine, parent.Schema, parent.Name, columns), [], values);
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                return $"{parent.Name} {DbValues.KeyText(columns, values)}";
        }
        return null;
    }

    internal static string ReferenceCheckSql(DatabaseEngineKind engine, string? schema, string table, IReadOnlyList<string> columns) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {SqlNames.QuoteTable(engine, schema, table)} WHERE {string.Join(" AND ", columns.Select((c, i) => $"{SqlNames.Quote(engine, c)} = @k{i}"))}) THEN 1 ELSE 0 END";

    private static IReadOnlyDictionary<string, object?>? Values(JObject? image, IReadOnlyList<string> columns) =>
        image is null ? null : columns.ToDictionary(c => c, c => DeltaValueCodec.FromToken(image[c]), StringComparer.OrdinalIgnoreCase);

    private static bool Matches(object?[] existing, JObject image, IReadOnlyList<string> columns)
    {
        for (var i = 0; i < columns.Count; i++)
            if (!DbValues.AreEqual(existing[i], DeltaValueCodec.FromToken(image[columns[i]]))) return false;
        return true;
    }

    private static object?[]? ReadRow(DbConnection connection, DbTransaction transaction, string sql, object?[] key, IReadOnlyList<string> columns)
    {
        using var command = Command(connection, transaction, sql, [], key);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var values = new object?[columns.Count];
        for (var i = 0; i < values.Length; i++) values[i] = DbValues.Normalize(reader.GetValue(i));
        return values;
    }

    private static void ExecuteRow(DbConnection connection, DbTransaction transaction, string sql, object?[] values, object?[] key)
    {
        using var command = Command(connection, transaction, sql, values, key);
        command.ExecuteNonQuery();
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql, [], []);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, object?[] values, object?[] key)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        void Add(string name, object? value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        for (var i = 0; i < values.Length; i++) Add($"@v{i}", values[i]);
        for (var i = 0; i < key.Length; i++) Add($"@k{i}", key[i]);
        return command;
    }

    /// <summary>The statements the import runs for one table, for review and for the T-SQL parse tests.</summary>
    public static IReadOnlyList<string> DescribeStatements(DatabaseEngineKind engine, DataDeltaTable table)
    {
        var quoted = SqlNames.QuoteTable(engine, table.Schema, table.Table);
        string Q(string c) => SqlNames.Quote(engine, c);
        var where = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{Q(k)} = @k{i}"));
        var set = table.Columns.Except(table.KeyColumns, StringComparer.OrdinalIgnoreCase).ToList();
        var list = new List<string>
        {
            $"SELECT {string.Join(", ", table.Columns.Select(Q))} FROM {quoted} WHERE {where}",
            $"INSERT INTO {quoted} ({string.Join(", ", table.Columns.Select(Q))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@v{i}"))})",
            $"UPDATE {quoted} SET {string.Join(", ", set.Select((c, i) => $"{Q(c)} = @v{i}"))} WHERE {where}",
            $"DELETE FROM {quoted} WHERE {where}",
            ReferenceCheckSql(engine, table.Schema, table.Table + "_CHILD", table.KeyColumns),
        };
        if (engine == DatabaseEngineKind.SqlServer && table.IdentityColumn is not null)
        {
            list.Add($"SET IDENTITY_INSERT {quoted} ON");
            list.Add($"SET IDENTITY_INSERT {quoted} OFF");
        }
        return list;
    }
}
