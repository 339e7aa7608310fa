using System.Data.Common;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Ties a delta to what was exported: each row's before image must be the base's row (the
/// rollback point's backup, what production was restored to), and an inserted row must not be in
/// the base. A before image copied from a row written after the reopening is not in the base, so
/// such a file is refused whole before anything is written. One pass, one row in memory.
/// </summary>
public static class DataDeltaBaseCheck
{
    public static void Verify(string path, DataDeltaHeader header, IReadOnlyList<DataDeltaTable> tables, DatabaseTarget baseTarget, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        reporter.Verbose($"Checking the before images of the delta against the base {baseTarget.DisplayName}.");
        var byName = tables.ToDictionary(t => t.Table, StringComparer.OrdinalIgnoreCase);
        var schema = SchemaSnapshotReader.Capture(baseTarget, new SchemaCaptureOptions { TablePatterns = tables.Select(t => t.Table).ToList(), IncludeRowCounts = false, IncludeEntityMapping = false }, reporter);
        using var connection = baseTarget is SqliteTarget lite ? lite.OpenConnection(Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly) : baseTarget.OpenConnection();
        DbCommand? select = null;
        string? current = null;
        var inBase = false;
        long count = 0;
        try
        {
            foreach (var row in DataDeltaFile.ReadRows(path, header.Seal, checkSeal: header.FormatVersion >= DataDeltaFile.SealedFormatVersion))
            {
                if (++count % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
                if (!byName.TryGetValue(row.Table, out var table)) continue;
                if (!string.Equals(current, table.Table, StringComparison.Ordinal))
                {
                    select?.Dispose();
                    current = table.Table;
                    // A table the base lacks was added by the deploy: its rows can only be inserts.
                    inBase = schema.FindTable(table.Table) is not null;
                    select = inBase ? Select(connection, baseTarget.Engine, table) : null;
                }
                var key = table.KeyColumns.Select(k => DeltaValueCodec.FromToken(row.Key[k])).ToArray();
                var found = select is null ? null : Read(select, key, table.Columns.Count);
                if (row.Operation == RowDifferenceKind.Inserted)
                {
                    if (found is not null) throw Mismatch(path, row, table, key, "the row is inserted by the delta but the base already has it");
                    continue;
                }
                if (found is null) throw Mismatch(path, row, table, key, "the base has no such row");
                for (var i = 0; i < table.Columns.Count; i++)
                    if (!DbValues.AreEqual(found[i], DeltaValueCodec.FromToken(row.Before![table.Columns[i]])))
                        throw Mismatch(path, row, table, key, $"its before value of {table.Columns[i]} is not the base's");
            }
        }
        finally { select?.Dispose(); }
    }

    private static DbCommand Select(DbConnection connection, DatabaseEngineKind engine, DataDeltaTable table)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => SqlNames.Quote(engine, c)))} FROM {SqlNames.QuoteTable(engine, table.Schema, table.Table)} WHERE "
            + string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{SqlNames.Quote(engine, k)} = @k{i}"));
        for (var i = 0; i < table.KeyColumns.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@k{i}";
            command.Parameters.Add(p);
        }
        return command;
    }

    private static object?[]? Read(DbCommand select, object?[] key, int columns)
    {
        for (var i = 0; i < key.Length; i++) select.Parameters[i].Value = key[i] ?? DBNull.Value;
        using var reader = select.ExecuteReader();
        if (!reader.Read()) return null;
        var values = new object?[columns];
        for (var i = 0; i < columns; i++) values[i] = DbValues.Normalize(reader.GetValue(i));
        return values;
    }

    private static OsRollbackException Mismatch(string path, DataDeltaRow row, DataDeltaTable table, object?[] key, string why) =>
        new("DataDeltaBaseMismatch", OsErrorCategory.InvalidData,
            $"The data delta '{path}' does not match its base: line {row.Line}, {table.Table} {DbValues.KeyText(table.KeyColumns, key)}: {why}. The file was not computed against the rollback point production was restored to. Nothing was imported.",
            path, "Export the delta again from the parallel database against the rollback point that was restored, and import that file unchanged.");
}
