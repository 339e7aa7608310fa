using System.Data.Common;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
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
    private readonly ITableData _data;
    private readonly SchemaSnapshot _schema;
    private readonly DbConnection _connection;
    private DbCommand? _select;
    // Integer single-column keys are looked up a batch at a time (WHERE key IN (...)), as the
    // validator feeds them; anything else, and any batch whose answer is not plain, one key at a time.
    private const int BatchSize = 256;
    private DbCommand? _batchSelect;
    private int _keyIndex;
    private readonly List<(DataDeltaRow Row, DataDeltaTable Table, long Key)> _pending = new(BatchSize);
    private readonly Dictionary<long, object?[]> _found = new();
    private string? _current;

    /// <summary>Opens the base read-only for the rows of <paramref name="tables"/>; feed it every row with <see cref="Check"/>.</summary>
    public DataDeltaBaseCheck(string path, IReadOnlyList<DataDeltaTable> tables, DatabaseTarget baseTarget, IOperationReporter reporter)
    {
        reporter.Verbose($"Checking the before images of the delta against the base {baseTarget.DisplayName}.");
        _path = path;
        _data = DatabaseProviders.Default.For(baseTarget).TableData;
        _schema = SchemaSnapshotReader.Capture(baseTarget, new SchemaCaptureOptions { TablePatterns = tables.Select(t => t.Table).ToList(), IncludeRowCounts = false, IncludeEntityMapping = false }, reporter);
        _connection = _data.OpenReadOnly(baseTarget);
    }

    /// <summary>Checks one row of <paramref name="table"/>; rows come grouped by table, as the validator ensures.</summary>
    public void Check(DataDeltaRow row, DataDeltaTable table)
    {
        if (!string.Equals(_current, table.Table, StringComparison.Ordinal))
        {
            Flush();
            _select?.Dispose();
            _batchSelect?.Dispose();
            _current = table.Table;
            // A table the base lacks was added by the deploy: its rows can only be inserts.
            _select = _schema.FindTable(table.Table) is null ? null : Select(_connection, _data, table, 1);
            _batchSelect = _select is not null && table.KeyColumns.Count == 1 ? Select(_connection, _data, table, BatchSize) : null;
            _keyIndex = table.Columns.FindIndex(c => string.Equals(c, table.KeyColumns[0], StringComparison.Ordinal));
        }
        var key = table.KeyColumns.Select(k => DeltaValueCodec.FromToken(row.Key[k])).ToArray();
        if (_batchSelect is not null && _keyIndex >= 0 && key[0] is long integer)
        {
            _pending.Add((row, table, integer));
            if (_pending.Count == BatchSize) Flush();
            return;
        }
        Compare(row, table, key, _select is null ? null : Read(_select, key, table.Columns.Count));
    }

    /// <summary>Checks the rows still waiting for their batch; call it after the last row.</summary>
    public void Flush()
    {
        if (_pending.Count == 0) return;
        _found.Clear();
        for (var i = 0; i < BatchSize; i++) _batchSelect!.Parameters[i].Value = i < _pending.Count ? _pending[i].Key : DBNull.Value;
        var plain = true;
        var returned = 0;
        using (var reader = _batchSelect!.ExecuteReader())
            while (reader.Read())
            {
                returned++;
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++) values[i] = DbValues.Normalize(reader.GetValue(i));
                // A row matched through a conversion (text or real key values) is not trusted to the batch.
                if (values[_keyIndex] is long or int or short) _found[Convert.ToInt64(values[_keyIndex], System.Globalization.CultureInfo.InvariantCulture)] = values;
                else plain = false;
            }
        plain &= _found.Count == returned;
        foreach (var (row, table, key) in _pending)
        {
            object?[] keys = [key];
            Compare(row, table, keys, plain ? _found.GetValueOrDefault(key) : Read(_select!, keys, table.Columns.Count));
        }
        _pending.Clear();
    }

    private void Compare(DataDeltaRow row, DataDeltaTable table, object?[] key, object?[]? found)
    {
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
        _batchSelect?.Dispose();
        _connection.Dispose();
    }
    /// <summary>The base's row by its key, or (<paramref name="batch"/> &gt; 1, one key column) the rows of up to <paramref name="batch"/> keys.</summary>
    private static DbCommand Select(DbConnection connection, ITableData data, DataDeltaTable table, int batch)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(data.Quote))} FROM {data.QuoteTable(table.Schema, table.Table)} WHERE "
            + (batch > 1 ? $"{data.Quote(table.KeyColumns[0])} IN ({string.Join(", ", Enumerable.Range(0, batch).Select(i => $"@k{i}"))})"
                         : string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{data.Quote(k)} = @k{i}")));
        for (var i = 0; i < Math.Max(batch, table.KeyColumns.Count); i++)
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
