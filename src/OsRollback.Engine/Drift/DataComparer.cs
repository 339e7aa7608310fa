using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Compares the application tables of two databases on the primary key. Both sides are read
/// once, ordered by key, and merged as they stream: memory does not grow with table size.
/// A table without a primary key is reported, never guessed at.
/// </summary>
public sealed class DataComparer
{
    internal static readonly string[] TimeColumnNames =
        ["CREATEDON", "CREATEDAT", "CREATEDDATE", "CREATEDDATETIME", "UPDATEDON", "UPDATEDAT", "UPDATEDDATE", "MODIFIEDON", "MODIFIEDAT", "LASTMODIFIED", "LASTMODIFIEDON", "CHANGEDON", "LASTUPDATED", "LASTUPDATEDON"];

    private readonly DatabaseTarget _current;
    private readonly DatabaseTarget _reference;
    private readonly DataCompareOptions _options;
    private readonly IOperationReporter _reporter;

    /// <param name="current">The database now (production after the restore).</param>
    /// <param name="reference">The reference (the parallel database with the pre-rollback data).</param>
    public DataComparer(DatabaseTarget current, DatabaseTarget reference, DataCompareOptions? options, IOperationReporter? reporter)
    {
        _current = current ?? throw new ArgumentNullException(nameof(current));
        _reference = reference ?? throw new ArgumentNullException(nameof(reference));
        if (current.Engine != reference.Engine)
            throw new OsRollbackException("DatabaseEnginesDiffer", OsErrorCategory.InvalidArgument,
                $"Both databases must be on the same engine ({current.DisplayName} is {current.Engine}, {reference.DisplayName} is {reference.Engine}).",
                reference.DisplayName, "Compare two SQL Server databases or two SQLite files.");
        _options = options ?? new DataCompareOptions();
        _reporter = reporter ?? NullReporter.Instance;
    }

    /// <summary>Compares table by table; <paramref name="onRow"/> receives each differing row as it is found.</summary>
    public IEnumerable<TableDataDifference> Compare(Action<DataRowDifference>? onRow = null, CancellationToken cancellationToken = default) =>
        CompareTables(onRow is null ? null : (_, row) => onRow(row), cancellationToken);

    internal IEnumerable<TableDataDifference> CompareTables(Action<TableDataDifference, DataRowDifference>? onRow, CancellationToken cancellationToken)
    {
        var capture = new SchemaCaptureOptions { TablePatterns = _options.TablePatterns };
        var now = SchemaSnapshotReader.Capture(_current, capture, _reporter);
        var reference = SchemaSnapshotReader.Capture(_reference, capture, _reporter);
        var plans = Plan(now, reference);
        if (plans.Count == 0)
            _reporter.Warning("No application table matches the filters given.");
        using var currentConnection = Open(_current);
        using var referenceConnection = Open(_reference);
        for (var i = 0; i < plans.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var plan = plans[i];
            _reporter.Progress(new ProgressUpdate("Comparing data", $"Table {i + 1} of {plans.Count}: {plan.Table}", i * 100 / plans.Count));
            if (plan.Status == TableCompareStatus.Compared)
                CompareTable(plan, currentConnection, referenceConnection, onRow, cancellationToken);
            else
                _reporter.Warning($"{plan.Table}: {plan.Message}");
            yield return plan;
        }
        _reporter.Progress(new ProgressUpdate("Comparing data", "Done", 100, Completed: true));
    }

    private static DbConnection Open(DatabaseTarget target) =>
        target is SqliteTarget s ? s.OpenConnection(SqliteOpenMode.ReadOnly) : target.OpenConnection();

    private List<TableDataDifference> Plan(SchemaSnapshot now, SchemaSnapshot reference)
    {
        var result = new List<TableDataDifference>();
        var names = reference.Tables.Select(t => t.Name).Concat(now.Tables.Select(t => t.Name))
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var r = reference.FindTable(name);
            var c = now.FindTable(name);
            var entity = r?.Entity ?? c?.Entity;
            var module = r?.Module ?? c?.Module;
            if (!SqlNames.MatchesAny(name, _options.Tables) || !SqlNames.MatchesAny(entity, _options.Entities) || !SqlNames.MatchesAny(module, _options.Modules))
                continue;
            TableDataDifference Make(TableCompareStatus status, string? message, long inserted = 0, long deleted = 0,
                IReadOnlyList<string>? key = null, IReadOnlyList<string>? columns = null, IReadOnlyList<string>? onlyRef = null, IReadOnlyList<string>? onlyCur = null, IReadOnlyList<string>? time = null) => new()
            {
                Table = name, Schema = (c ?? r)!.Schema, Entity = entity, Module = module, Status = status, Message = message,
                Inserted = inserted, Deleted = deleted, KeyColumns = key ?? [], Columns = columns ?? [],
                ColumnsOnlyInReference = onlyRef ?? [], ColumnsOnlyInCurrent = onlyCur ?? [], TimeColumns = time ?? [],
                Database = _current.DisplayName, ReferenceDatabase = _reference.DisplayName, CurrentTable = c, ReferenceTable = r,
            };
            if (c is null)
            {
                result.Add(Make(TableCompareStatus.OnlyInReference, $"only in the reference database ({r!.RowCount} rows): the rolled-back version created it; its data cannot be imported into a database without the table.", inserted: r.RowCount ?? 0));
                continue;
            }
            if (r is null)
            {
                result.Add(Make(TableCompareStatus.OnlyInCurrent, $"only in the current database ({c.RowCount} rows).", deleted: c.RowCount ?? 0));
                continue;
            }
            if (r.PrimaryKey.Count == 0 || c.PrimaryKey.Count == 0)
            {
                result.Add(Make(TableCompareStatus.NoPrimaryKey, "has no primary key: rows cannot be matched safely, so the table is not compared. Compare it by hand or add a key."));
                continue;
            }
            if (!r.PrimaryKey.SequenceEqual(c.PrimaryKey, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(Make(TableCompareStatus.PrimaryKeyMismatch, $"the primary keys differ ({string.Join(", ", r.PrimaryKey)} in the reference, {string.Join(", ", c.PrimaryKey)} now): not compared."));
                continue;
            }
            var columns = r.Columns.Where(col => c.FindColumn(col.Name) is not null).Select(col => col.Name).ToList();
            // Key columns first, in key order, then the others.
            var ordered = r.PrimaryKey.Select(k => r.FindColumn(k)!.Name).Concat(columns.Where(col => !r.PrimaryKey.Contains(col, StringComparer.OrdinalIgnoreCase))).ToList();
            var time = _options.Since is null ? [] : ordered.Where(col => TimeColumnNames.Contains(col.Replace("_", ""), StringComparer.OrdinalIgnoreCase)).ToList();
            if (_options.Since is not null && time.Count == 0)
                _reporter.Verbose($"{name} has no created/updated column: compared whole, without the time filter.");
            result.Add(Make(TableCompareStatus.Compared, null, key: r.PrimaryKey.Select(k => r.FindColumn(k)!.Name).ToList(), columns: ordered,
                onlyRef: r.Columns.Where(col => c.FindColumn(col.Name) is null).Select(col => col.Name).ToList(),
                onlyCur: c.Columns.Where(col => r.FindColumn(col.Name) is null).Select(col => col.Name).ToList(), time: time));
        }
        return result;
    }

    internal static string SelectOrdered(DatabaseEngineKind engine, TableSnapshot table, IReadOnlyList<string> columns, IReadOnlyList<string> key)
    {
        var select = string.Join(", ", columns.Select(c => SqlNames.Quote(engine, c)));
        var order = string.Join(", ", key.Select(k =>
        {
            var quoted = SqlNames.Quote(engine, k);
            // A binary collation makes SQL Server order text keys by code point, as the merge expects.
            var type = table.FindColumn(k)?.DataType.ToLowerInvariant();
            return engine == DatabaseEngineKind.SqlServer && type is "nvarchar" or "varchar" or "nchar" or "char"
                ? quoted + " COLLATE Latin1_General_BIN2" : quoted;
        }));
        return $"SELECT {select} FROM {SqlNames.QuoteTable(engine, table.Schema, table.Name)} ORDER BY {order}";
    }

    private void CompareTable(TableDataDifference plan, DbConnection currentConnection, DbConnection referenceConnection,
        Action<TableDataDifference, DataRowDifference>? onRow, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var engine = _current.Engine;
        var columns = plan.Columns;
        var keyCount = plan.KeyColumns.Count;
        var timeIndexes = plan.TimeColumns.Select(t => columns.ToList().FindIndex(c => c.Equals(t, StringComparison.OrdinalIgnoreCase))).ToArray();
        var expected = Math.Max(plan.CurrentTable!.RowCount ?? 0, plan.ReferenceTable!.RowCount ?? 0);

        using var currentCommand = currentConnection.CreateCommand();
        currentCommand.CommandText = SelectOrdered(engine, plan.CurrentTable!, columns, plan.KeyColumns);
        currentCommand.CommandTimeout = 0;
        using var referenceCommand = referenceConnection.CreateCommand();
        referenceCommand.CommandText = SelectOrdered(engine, plan.ReferenceTable!, columns, plan.KeyColumns);
        referenceCommand.CommandTimeout = 0;
        using var cur = currentCommand.ExecuteReader();
        using var rf = referenceCommand.ExecuteReader();

        var width = columns.Count;
        var curValues = new object[width];
        var refValues = new object[width];
        var lastCur = new object?[keyCount];
        var lastRef = new object?[keyCount];
        bool hasLastCur = false, hasLastRef = false;
        var fastKey = keyCount == 1 && cur.GetFieldType(0) == typeof(long) && rf.GetFieldType(0) == typeof(long);

        bool ReadCur() { var ok = cur.Read(); if (ok) cur.GetValues(curValues); return ok; }
        bool ReadRef() { var ok = rf.Read(); if (ok) rf.GetValues(refValues); return ok; }

        var hasCur = ReadCur();
        var hasRef = ReadRef();
        long read = 0;
        while (hasCur || hasRef)
        {
            int cmp;
            if (!hasCur) cmp = 1;
            else if (!hasRef) cmp = -1;
            else if (fastKey && curValues[0] is long a && refValues[0] is long b) cmp = a.CompareTo(b);
            else cmp = CompareKeys(curValues, refValues, keyCount);

            if (cmp == 0)
            {
                List<string>? changed = null;
                for (var i = keyCount; i < width; i++)
                {
                    if (!DbValues.AreEqual(curValues[i], refValues[i])) (changed ??= new()).Add(columns[i]);
                }
                if (changed is null) plan.Unchanged++;
                else Report(plan, RowDifferenceKind.Changed, changed, hasCur: true, hasRef: true);
                CheckOrder(cur: true); CheckOrder(cur: false);
                hasCur = ReadCur(); hasRef = ReadRef();
                read += 2;
            }
            else if (cmp < 0)
            {
                Report(plan, RowDifferenceKind.Deleted, null, hasCur: true, hasRef: false);
                CheckOrder(cur: true);
                hasCur = ReadCur();
                read++;
            }
            else
            {
                Report(plan, RowDifferenceKind.Inserted, null, hasCur: false, hasRef: true);
                CheckOrder(cur: false);
                hasRef = ReadRef();
                read++;
            }
            if ((read & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            if (read % _options.ProgressInterval < 2 && read >= _options.ProgressInterval)
                _reporter.Progress(new ProgressUpdate($"Comparing {plan.Table}", $"{read / 2:N0} of about {expected:N0} rows",
                    expected == 0 ? -1 : (int)Math.Min(100, read * 50 / expected), ActivityId: 2, ParentActivityId: 1));
        }
        _reporter.Progress(new ProgressUpdate($"Comparing {plan.Table}", "Done", 100, ActivityId: 2, ParentActivityId: 1, Completed: true));
        plan.Duration = stopwatch.Elapsed;
        _reporter.Verbose($"{plan.Table}: {plan.Inserted} inserted, {plan.Changed} changed, {plan.Deleted} deleted, {plan.Unchanged} unchanged ({stopwatch.Elapsed.TotalSeconds:0.00} s).");

        void CheckOrder(bool cur)
        {
            var values = cur ? curValues : refValues;
            var last = cur ? lastCur : lastRef;
            ref var hasLast = ref (cur ? ref hasLastCur : ref hasLastRef);
            if (hasLast && CompareKeys(values, last!, keyCount) <= 0)
                throw new OsRollbackException("DataCompareOrderMismatch", OsErrorCategory.InvalidResult,
                    $"{plan.Table}: the {(cur ? "current" : "reference")} database returned keys out of the expected order ({DbValues.KeyText(plan.KeyColumns, values[..keyCount])} after {DbValues.KeyText(plan.KeyColumns, last!)}); the comparison stopped rather than report wrong differences.",
                    plan.Table, "Compare this table by hand, or report the key type and collation to the OsRollback maintainers.");
            Array.Copy(values, last!, keyCount);
            hasLast = true;
        }

        void Report(TableDataDifference p, RowDifferenceKind kind, List<string>? changed, bool hasCur, bool hasRef)
        {
            if (timeIndexes.Length > 0 && _options.Since is DateTime since)
            {
                var inRange = false;
                foreach (var i in timeIndexes)
                {
                    if (hasCur && DbValues.AsDateTime(curValues[i]) is { } c && c.Ticks >= since.Ticks) inRange = true;
                    if (hasRef && DbValues.AsDateTime(refValues[i]) is { } r && r.Ticks >= since.Ticks) inRange = true;
                }
                if (!inRange) { p.OutsideTimeFilter++; return; }
            }
            switch (kind)
            {
                case RowDifferenceKind.Inserted: p.Inserted++; break;
                case RowDifferenceKind.Deleted: p.Deleted++; break;
                default: p.Changed++; break;
            }
            if (onRow is null) return;
            var source = hasRef ? refValues : curValues;
            var keyValues = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < keyCount; i++) keyValues[columns[i]] = DbValues.Normalize(source[i]);
            onRow(p, new DataRowDifference
            {
                Table = p.Table,
                Kind = kind,
                Key = DbValues.KeyText(p.KeyColumns, source[..keyCount]),
                KeyValues = keyValues,
                ChangedColumns = changed ?? (IReadOnlyList<string>)[],
                ReferenceValues = hasRef ? ToDictionary(refValues) : null,
                CurrentValues = hasCur ? ToDictionary(curValues) : null,
            });
        }

        Dictionary<string, object?> ToDictionary(object[] values)
        {
            var d = new Dictionary<string, object?>(width, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < width; i++) d[columns[i]] = DbValues.Normalize(values[i]);
            return d;
        }
    }

    private static int CompareKeys(object?[] a, object?[] b, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var c = DbValues.CompareKey(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}
