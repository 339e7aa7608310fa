using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Reads a whole delta before the import writes anything: every line parses; every row's table
/// and columns are in the header; images match the operation; each key matches its row; rows are
/// grouped in header order (parents first). One pass, constant memory.
/// </summary>
public static class DataDeltaValidator
{
    /// <summary>Validates every row; <paramref name="alsoCheck"/> (the base check) sees each valid row in the same pass.</summary>
    public static void Validate(string deltaPath, DataDeltaHeader header, CancellationToken cancellationToken = default) => Validate(deltaPath, header, null, cancellationToken);

    public static void Validate(string deltaPath, DataDeltaHeader header, Action<DataDeltaRow, DataDeltaTable>? alsoCheck, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, (DataDeltaTable Table, int Order, HashSet<string> Columns)>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in header.Tables)
        {
            if (!tables.TryAdd(table.Table, (table, tables.Count, new HashSet<string>(table.Columns, StringComparer.Ordinal))))
                throw Invalid("DataDeltaMalformed", deltaPath, 1, $"the header lists the table {table.Table} twice");
            if (table.KeyColumns.Count == 0 || table.KeyColumns.Any(k => !table.Columns.Contains(k, StringComparer.OrdinalIgnoreCase)))
                throw Invalid("DataDeltaMalformed", deltaPath, 1, $"the header's key of {table.Table} is not among its columns");
        }
        var order = -1;
        string? currentTable = null;
        foreach (var row in DataDeltaFile.ReadRows(deltaPath, header.Seal, checkSeal: header.FormatVersion >= DataDeltaFile.SealedFormatVersion))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!tables.TryGetValue(row.Table, out var entry))
                throw Invalid("DataDeltaUnknownTable", deltaPath, row.Line, $"the table {row.Table} is not in the header");
            if (!string.Equals(currentTable, row.Table, StringComparison.OrdinalIgnoreCase))
            {
                if (entry.Order <= order)
                    throw Invalid("DataDeltaRowsOutOfOrder", deltaPath, row.Line, $"rows of {row.Table} are not grouped in the header's order (parents first)");
                order = entry.Order;
                currentTable = row.Table;
            }
            CheckRow(deltaPath, entry.Table, entry.Columns, row);
            alsoCheck?.Invoke(row, entry.Table);
        }
    }

    private static void CheckRow(string path, DataDeltaTable table, HashSet<string> columns, DataDeltaRow row)
    {
        // The common case costs no list and no dictionary: the messages are built only for a bad row.
        if (row.Key.Count != table.KeyColumns.Count || table.KeyColumns.Any(k => !row.Key.ContainsKey(k)))
        {
            var keyNames = row.Key.Properties().Select(p => p.Name).ToList();
            throw Invalid("DataDeltaKeyInvalid", path, row.Line, $"the key ({string.Join(", ", keyNames)}) is not the key of {table.Table} ({string.Join(", ", table.KeyColumns)})");
        }
        var (needBefore, needAfter) = row.Operation switch
        {
            RowDifferenceKind.Inserted => (false, true),
            RowDifferenceKind.Deleted => (true, false),
            _ => (true, true),
        };
        if ((row.Before is not null) != needBefore || (row.After is not null) != needAfter)
            throw Invalid("DataDeltaRowIncomplete", path, row.Line, $"an {row.Operation} row of {table.Table} needs {(needBefore ? "a before" : "no before")} and {(needAfter ? "an after" : "no after")} image");
        var key = new object?[table.KeyColumns.Count];
        for (var i = 0; i < key.Length; i++) key[i] = Decode(path, row.Line, table.KeyColumns[i], row.Key[table.KeyColumns[i]]);
        foreach (var image in new[] { row.Before, row.After })
        {
            if (image is null) continue;
            foreach (var p in image.Properties())
                if (!columns.Contains(p.Name))
                {
                    var extra = image.Properties().Select(q => q.Name).Where(n => !columns.Contains(n)).ToList();
                    throw Invalid("DataDeltaUnknownColumn", path, row.Line, $"the columns {string.Join(", ", extra)} are not columns of {table.Table} in the header");
                }
            if (table.Columns.Any(c => !image.ContainsKey(c)))
            {
                var missing = table.Columns.Where(c => !image.ContainsKey(c)).ToList();
                throw Invalid("DataDeltaColumnMissing", path, row.Line, $"the row lacks the columns {string.Join(", ", missing)} of {table.Table}");
            }
            foreach (var p in image.Properties()) Decode(path, row.Line, p.Name, p.Value);
            for (var i = 0; i < key.Length; i++)
            {
                var value = DeltaValueCodec.FromToken(image[table.KeyColumns[i]]);
                if (!DbValues.AreEqual(key[i], value))
                    throw Invalid("DataDeltaKeyMismatch", path, row.Line, $"the key {table.KeyColumns[i]}={DbValues.Display(key[i])} differs from the row's {table.KeyColumns[i]}={DbValues.Display(value)}");
            }
        }
        foreach (var changed in row.ChangedColumns)
            if (!columns.Contains(changed))
            {
                var unknownChanged = row.ChangedColumns.Where(c => !columns.Contains(c)).ToList();
                throw Invalid("DataDeltaUnknownColumn", path, row.Line, $"the changed columns {string.Join(", ", unknownChanged)} are not columns of {table.Table} in the header");
            }
    }

    private static object? Decode(string path, int line, string column, JToken? token)
    {
        try { return DeltaValueCodec.FromToken(token); }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw Invalid("DataDeltaMalformed", path, line, $"the value of {column} cannot be read: {ex.Message}");
        }
    }

    private static OsRollbackException Invalid(string errorId, string path, int line, string detail) =>
        new(errorId, OsErrorCategory.InvalidData, $"The data delta '{path}' is not valid: line {line}: {detail}. Nothing was imported.", path,
            "Export the delta again with Export-OsDataDelta; do not edit the file by hand except to remove whole row lines.");
}

/// <summary>
/// Keys of rows whose identity in production differs from the lost row's (a key collision, or a
/// row deleted in production): a lost child pointing at such a parent would attach to the wrong
/// row or to none, so it is a conflict too.
/// </summary>
internal sealed class ConflictKeys
{
    private readonly Dictionary<string, (IReadOnlyList<string> KeyColumns, HashSet<string> Keys)> _byTable = new(StringComparer.OrdinalIgnoreCase);
    private readonly Schema.SchemaSnapshot _schema;

    public ConflictKeys(Schema.SchemaSnapshot schema) => _schema = schema;

    public void Add(string table, IReadOnlyList<string> keyColumns, string keyText)
    {
        if (!_byTable.TryGetValue(table, out var entry)) _byTable[table] = entry = (keyColumns, new HashSet<string>(StringComparer.Ordinal));
        entry.Keys.Add(keyText);
    }

    /// <summary>The foreign keys in production that reference <paramref name="table"/>: the child table and its columns, in the order of <paramref name="keyColumns"/>.</summary>
    public IEnumerable<(Data.TableSnapshot Child, IReadOnlyList<string> Columns)> ReferencesTo(string table, IReadOnlyList<string> keyColumns)
    {
        foreach (var child in _schema.Tables)
            foreach (var fk in child.ForeignKeys.Where(f => string.Equals(f.ReferencedTable, table, StringComparison.OrdinalIgnoreCase)))
            {
                var columns = new List<string>();
                for (var i = 0; i < keyColumns.Count; i++)
                {
                    var j = fk.ReferencedColumns.Count == 0 ? i : fk.ReferencedColumns.FindIndex(c => string.Equals(c, keyColumns[i], StringComparison.OrdinalIgnoreCase));
                    if (j < 0 || j >= fk.Columns.Count) break;
                    columns.Add(fk.Columns[j]);
                }
                if (columns.Count == keyColumns.Count) yield return (child, columns);
            }
    }

    /// <summary>The row's foreign keys with a value: the parent table, its columns and the values, in foreign-key order.</summary>
    public IEnumerable<(Data.TableSnapshot Parent, IReadOnlyList<string> Columns, object?[] Values)> ParentsOf(string table, JObject after)
    {
        if (_schema.FindTable(table) is not { } snapshot) yield break;
        foreach (var fk in snapshot.ForeignKeys)
        {
            if (_schema.FindTable(fk.ReferencedTable) is not { } parent) continue;
            var referenced = fk.ReferencedColumns.Count > 0 ? fk.ReferencedColumns : parent.PrimaryKey;
            if (referenced.Count != fk.Columns.Count) continue;
            var values = new object?[fk.Columns.Count];
            var complete = true;
            for (var i = 0; i < values.Length && complete; i++)
            {
                var column = after.Properties().FirstOrDefault(p => string.Equals(p.Name, fk.Columns[i], StringComparison.OrdinalIgnoreCase));
                values[i] = column is null ? null : DeltaValueCodec.FromToken(column.Value);
                complete = values[i] is not null; // a NULL foreign key references nothing
            }
            if (complete) yield return (parent, referenced, values);
        }
    }

    /// <summary>"TABLE ID=5" when the row's foreign key points at a conflicting parent, else null.</summary>
    public string? ParentInConflict(string table, JObject after)
    {
        if (_byTable.Count == 0 || _schema.FindTable(table) is not { } snapshot) return null;
        foreach (var fk in snapshot.ForeignKeys)
        {
            if (!_byTable.TryGetValue(fk.ReferencedTable, out var parent)) continue;
            var values = new object?[parent.KeyColumns.Count];
            var complete = true;
            for (var i = 0; i < parent.KeyColumns.Count && complete; i++)
            {
                var j = fk.ReferencedColumns.Count == 0 ? i : fk.ReferencedColumns.FindIndex(c => string.Equals(c, parent.KeyColumns[i], StringComparison.OrdinalIgnoreCase));
                if (j < 0 || j >= fk.Columns.Count) { complete = false; break; }
                var column = after.Properties().FirstOrDefault(p => string.Equals(p.Name, fk.Columns[j], StringComparison.OrdinalIgnoreCase));
                values[i] = column is null ? null : DeltaValueCodec.FromToken(column.Value);
                complete = values[i] is not null;
            }
            if (!complete) continue;
            var key = DbValues.KeyText(parent.KeyColumns, values);
            if (parent.Keys.Contains(key)) return $"{fk.ReferencedTable} {key}";
        }
        return null;
    }
}
