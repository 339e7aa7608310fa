using System.Data.Common;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Applies the rows of one table, one at a time, inside the import's transaction: each statement
/// is built and prepared once per table and run with new values per row, so an import holds one
/// row at a time whatever the size of the delta. A lost change is written only where production
/// still equals the base for that row; otherwise it is a conflict (see <see cref="DataDeltaImporter"/>).
/// </summary>
internal sealed class DataDeltaTableWriter : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly ITableData _data;
    private readonly DataDeltaTable _table;
    private readonly DataDeltaImportResult _result;
    private readonly DataDeltaImportOptions _options;
    private readonly Diagnostics.IOperationReporter _reporter;
    private readonly ConflictKeys _conflicts;
    private readonly string _quoted;
    private readonly List<string> _set;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    // Built once per table: each row looks its command up by this text, never by a string built again.
    private readonly string _selectSql, _insertSql, _updateSql, _deleteSql;
    // Column positions of the updated columns in the row's values.
    private readonly int[] _setIndexes;
    private bool _identityInsert;

    public DataDeltaTableWriter(DbConnection connection, DbTransaction transaction, ITableData data, DataDeltaTable table,
        DataDeltaImportResult result, DataDeltaImportOptions options, Diagnostics.IOperationReporter reporter, ConflictKeys conflicts)
    {
        (_connection, _transaction, _data, _table, _result, _options, _reporter, _conflicts) = (connection, transaction, data, table, result, options, reporter, conflicts);
        _quoted = data.QuoteTable(table.Schema, table.Table);
        _set = table.Columns.Except(table.KeyColumns, StringComparer.OrdinalIgnoreCase).ToList();
        _selectSql = SelectSql; _insertSql = InsertSql; _updateSql = UpdateSql; _deleteSql = DeleteSql;
        _setIndexes = _set.Select(c => table.Columns.IndexOf(c)).ToArray();
    }

    private string Q(string column) => _data.Quote(column);
    private string Where => string.Join(" AND ", _table.KeyColumns.Select((k, i) => $"{Q(k)} = @k{i}"));
    private string SelectSql => $"SELECT {string.Join(", ", _table.Columns.Select(Q))} FROM {_quoted} WHERE {Where}";
    private string InsertSql => $"INSERT INTO {_quoted} ({string.Join(", ", _table.Columns.Select(Q))}) VALUES ({string.Join(", ", _table.Columns.Select((_, i) => $"@v{i}"))})";
    private string UpdateSql => $"UPDATE {_quoted} SET {string.Join(", ", _set.Select((c, i) => $"{Q(c)} = @v{i}"))} WHERE {Where}";
    private string DeleteSql => $"DELETE FROM {_quoted} WHERE {Where}";

    /// <summary>The statements the import runs for a table, for review and for the T-SQL parse tests.</summary>
    public static IReadOnlyList<string> Describe(DatabaseEngineKind engine, DataDeltaTable table)
    {
        var data = DatabaseProviders.Default.For(engine).TableData;
        using var writer = new DataDeltaTableWriter(null!, null!, data, table, new DataDeltaImportResult(), new DataDeltaImportOptions(), Diagnostics.NullReporter.Instance, null!);
        var list = new List<string> { writer.SelectSql, writer.InsertSql, writer.UpdateSql, writer.DeleteSql, DataDeltaImporter.ReferenceCheckSql(data, table.Schema, table.Table + "_CHILD", table.KeyColumns) };
        if (table.IdentityColumn is not null && data.IdentityInsert(table.Schema, table.Table, on: true) is { } on)
        {
            list.Add(on);
            list.Add(data.IdentityInsert(table.Schema, table.Table, on: false)!);
        }
        return list;
    }

    public void Apply(DataDeltaRow row)
    {
        // Where the engine needs it (SQL Server, one table per session at a time): identity insert on for this table only, off in Finish.
        if (!_identityInsert && row.Operation != RowDifferenceKind.Deleted && _table.IdentityColumn is not null
            && _data.IdentityInsert(_table.Schema, _table.Table, on: true) is { } identityOn)
        {
            Run(identityOn, [], []);
            _identityInsert = true;
        }
        var keyValues = new object?[_table.KeyColumns.Count];
        for (var i = 0; i < keyValues.Length; i++) keyValues[i] = DeltaValueCodec.FromToken(row.Key[_table.KeyColumns[i]]);
        // Each image decoded once, in column order, for the comparisons and the statement's values.
        var after = Decode(row.After);
        var before = row.Operation == RowDifferenceKind.Inserted ? null : Decode(row.Before);
        var existing = ReadRow(keyValues);
        string? conflict = null;
        var keep = false;
        var action = row.Operation;
        switch (row.Operation)
        {
            case RowDifferenceKind.Inserted:
                if (existing is not null)
                {
                    if (Matches(existing, after!)) { _result.AlreadyApplied++; return; }
                    conflict = "production has a different row with this key (written after the restore)";
                    action = RowDifferenceKind.Changed;
                }
                break;
            case RowDifferenceKind.Changed:
                if (existing is null) { conflict = "the row was deleted in production after the restore"; action = RowDifferenceKind.Inserted; }
                else if (Matches(existing, after!)) { _result.AlreadyApplied++; return; }
                else if (!Matches(existing, before!)) conflict = "the row was changed in production after the restore";
                break;
            default:
                if (existing is null) { _result.AlreadyApplied++; return; }
                if (!Matches(existing, before!)) conflict = "the row was changed in production after the restore";
                else if (ReferencedBy(keyValues) is { } child)
                {
                    // Deleting it would need production's own rows deleted first: never applied, not even with OverwriteConflicts.
                    conflict = $"rows of {child} written in production after the restore still reference it";
                    keep = true;
                }
                break;
        }
        if (conflict is null && row.Operation != RowDifferenceKind.Deleted && _conflicts.ParentInConflict(_table.Table, row.After!) is { } parent)
            conflict = $"its parent {parent} is a conflict";
        if (conflict is null && row.Operation != RowDifferenceKind.Deleted && MissingParent(row.After!) is { } missing)
        {
            // Production deleted the parent after the restore: the lost row would point at nothing.
            conflict = $"its parent {missing} does not exist in production";
            keep = true;
        }
        if (conflict is not null)
        {
            var keyText = DbValues.KeyText(_table.KeyColumns, keyValues);
            // Only a row whose identity differs in production makes its lost children conflicts.
            if (action != row.Operation || row.Operation == RowDifferenceKind.Inserted && existing is not null || conflict.StartsWith("its parent", StringComparison.Ordinal))
                _conflicts.Add(_table.Table, _table.KeyColumns, keyText);
            _result.Conflicts.Add(new DataDeltaConflict
            {
                Table = _table.Table, Key = keyText, Operation = row.Operation, Reason = conflict, Applied = _options.OverwriteConflicts && !keep,
                Base = Values(before), Theirs = Values(after),
                Ours = Values(existing),
            });
            _reporter.Verbose($"{_table.Table} {keyText}: conflict, {conflict}.");
            if (!_options.OverwriteConflicts || keep) return;
        }
        switch (action)
        {
            case RowDifferenceKind.Inserted:
                Run(_insertSql, after!, []);
                _result.Inserted++;
                break;
            case RowDifferenceKind.Changed:
                var set = new object?[_setIndexes.Length];
                for (var i = 0; i < set.Length; i++) set[i] = after![_setIndexes[i]];
                Run(_updateSql, set, keyValues);
                _result.Updated++;
                break;
            default:
                Run(_deleteSql, [], keyValues);
                _result.Deleted++;
                break;
        }
    }

    /// <summary>Ends the table: identity insert off again, so that the next table may turn it on.</summary>
    public void Finish()
    {
        if (!_identityInsert) return;
        Run(_data.IdentityInsert(_table.Schema, _table.Table, on: false)!, [], []);
        _identityInsert = false;
    }

    /// <summary>The first table whose rows reference the row with <paramref name="key"/>, or null.</summary>
    private string? ReferencedBy(object?[] key)
    {
        foreach (var (child, columns) in _conflicts.ReferencesTo(_table.Table, _table.KeyColumns))
            if (Exists(DataDeltaImporter.ReferenceCheckSql(_data, child.Schema, child.Name, columns), key)) return child.Name;
        return null;
    }

    /// <summary>"TABLE ID=5" when a foreign key of the row points at a parent production does not have, else null.</summary>
    private string? MissingParent(JObject after)
    {
        foreach (var (parent, columns, values) in _conflicts.ParentsOf(_table.Table, after))
            if (!Exists(DataDeltaImporter.ReferenceCheckSql(_data, parent.Schema, parent.Name, columns), values))
                return $"{parent.Name} {DbValues.KeyText(columns, values)}";
        return null;
    }

    private bool Exists(string sql, object?[] key) =>
        Convert.ToInt64(Prepared(sql, 0, key.Length, key).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;

    private IReadOnlyDictionary<string, object?>? Values(object?[]? values) =>
        values is null ? null : _table.Columns.Select((c, i) => (c, values[i])).ToDictionary(x => x.c, x => x.Item2, StringComparer.OrdinalIgnoreCase);

    /// <summary>The image's values in the header's column order (null for no image).</summary>
    private object?[]? Decode(JObject? image)
    {
        if (image is null) return null;
        var values = new object?[_table.Columns.Count];
        for (var i = 0; i < values.Length; i++) values[i] = DeltaValueCodec.FromToken(image[_table.Columns[i]]);
        return values;
    }

    private static bool Matches(object?[] existing, object?[] image)
    {
        for (var i = 0; i < existing.Length; i++)
            if (!DbValues.AreEqual(existing[i], image[i])) return false;
        return true;
    }

    private object?[]? ReadRow(object?[] key)
    {
        using var reader = Prepared(_selectSql, 0, key.Length, key).ExecuteReader();
        if (!reader.Read()) return null;
        var values = new object?[_table.Columns.Count];
        for (var i = 0; i < values.Length; i++) values[i] = DbValues.Normalize(reader.GetValue(i));
        return values;
    }

    private void Run(string sql, object?[] values, object?[] key)
    {
        var command = Prepared(sql, values.Length, key.Length, key);
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    /// <summary>The command for <paramref name="sql"/>, made once per table (values @v0.., then key @k0..), with the key set.</summary>
    private DbCommand Prepared(string sql, int valueCount, int keyCount, object?[] key)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            void Add(string name)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = DBNull.Value;
                command.Parameters.Add(p);
            }
            for (var i = 0; i < valueCount; i++) Add($"@v{i}");
            for (var i = 0; i < keyCount; i++) Add($"@k{i}");
            _commands[sql] = command;
        }
        for (var i = 0; i < key.Length; i++) command.Parameters[valueCount + i].Value = key[i] ?? DBNull.Value;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}
