using System.Data.Common;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Ties a delta to what was exported: each row's before image must be the base's row (the
/// rollback point's backup, what production was restored to), and an inserted row must not be in
/// the base. A before image copied from a row written after the reopening is not in the base, so
/// such a file is refused whole before anything is written. Run inside the validator's one pass, one row in memory.
/// </summary>
public sealed class DataDeltaBaseCheck : IDisposable
{
    private readonly string _path;
    private readonly DatabaseEngineKind _engine;
    private readonly SchemaSnapshot _schema;
    private readonly DbConnection _connection;
    private DbCommand? _select;
    private string? _current;

    /// <summary>Opens the base read-only for the rows of <paramref name="tables"/>; feed it every row with <see cref="Check"/>.</summary>
    public DataDeltaBaseCheck(string path, IReadOnlyList<DataDeltaTable> tables, DatabaseTarget baseTarget, IOperationReporter reporter)
    {
        reporter.Verbose($"Checking the before images of the delta against the base {baseTarget.DisplayName}.");
        _path = path;
        _engine = baseTarget.Engine;
        _schema = SchemaSnapshotReader.Capture(baseTarget, new SchemaCaptureOptions { TablePatterns = tables.Select(t => t.Table).ToList(), IncludeRowCounts = false, IncludeEntityMapping = false }, reporter);
        _connection = baseTarget is SqliteTarget lite ? lite.OpenConnection(Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly) : baseTarget.OpenConnection();
    }

    /// <summary>Checks one row of <paramref name="table"/>; rows come grouped by table, as the validator ensures.</summary>
    public void Check(DataDeltaRow row, DataDeltaTable table)
    {
        if (!string.Equals(_current, table.Table, StringComparison.Ordinal))
        {
            _select?.Dispose();
            _current = table.Table;
            // A table the base lacks was added by the deploy: its rows can only be inserts.
            _select = _schema.FindTable(table.Table) is null ? null : Select(_connection, _engine, table);
        }
        var key = table.KeyColumns.Select(k => DeltaValueCodec.FromToken(row.Key[k])).ToArray();
        var found = _select is null ? null : Read(_select, key, table.Columns.Count);
        if (row.Operation == RowDifferenceKind.Inserted)
        {
            if (found is not null) throw Mismatch(_path, row, table, key, "the row is inserted by the delta but the base already has it");
            return;
        }
        if (found is null) throw Mismatch(_path, row, table, key, "the base has no such row");
        for (var i = 0; i < table.Columns.Count; i++)
            if (!DbValues.AreEqual(found[i], DeltaValueCodec.FromToken(row.Before![table.Columns[i]])))
                throw Mismatch(_path, row, table, key, $"its before value of {table.Columns[i]} is not the base's");
    }

    public void Dispose()
    {
        _select?.Dispose();
        _connection.Dispose();
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
