using System.Data.Common;
using System.Diagnostics;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
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
    private readonly ITableData _data;
    private readonly DataCompareOptions _options;
    private readonly IOperationReporter _reporter;

    /// <param name="current">The database now (production after the restore).</param>
    /// <param name="reference">The reference (the parallel database with the pre-rollback data).</param>
    public DataComparer(DatabaseTarget current, DatabaseTarget reference, DataCompareOptions? options, IOperationReporter? reporter)
    {
        _current = current ?? throw new ArgumentNullException(nameof(current));
        _reference = reference ?? throw new ArgumentNullException(nameof(reference));
        var provider = DatabaseProviders.Default.For(current);
        // One provider reads both sides: keys are ordered and values compared the same way.
        if (provider != DatabaseProviders.Default.For(reference))
            throw new OsRollbackException("DatabaseEnginesDiffer", OsErrorCategory.InvalidArgument,
                $"Both databases must be on the same engine ({current.DisplayName} is {current.Engine}, {reference.DisplayName} is {reference.Engine}).",
                reference.DisplayName, "Compare two SQL Server databases or two SQLite files.");
        _data = provider.TableData;
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
        using var currentConnection = _data.OpenReadOnly(_current);
        using var referenceConnection = _data.OpenReadOnly(_reference);
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

    /// <summary>The ordered read of a table's <paramref name="columns"/> by <paramref name="key"/>, in the engine's SQL.</summary>
    internal static string SelectOrdered(ITableData data, TableSnapshot table, IReadOnlyList<string> columns, IReadOnlyList<string> key) =>
        data.SelectOrdered(table.Schema, table.Name, columns, key.Select(k => table.FindColumn(k) is { } c ? new KeyColumn(k, c.DataType, c.IsIdentity) : new KeyColumn(k, null)).ToList());

    /// <inheritdoc cref="SelectOrdered(ITableData, TableSnapshot, IReadOnlyList{string}, IReadOnlyList{string})"/>
    internal static string SelectOrdered(DatabaseEngineKind engine, TableSnapshot table, IReadOnlyList<string> columns, IReadOnlyList<string> key) =>
        SelectOrdered(DatabaseProviders.Default.For(engine).TableData, table, columns, key);

    private void CompareTable(TableDataDifference plan, DbConnection currentConnection, DbConnection referenceConnection,
        Action<TableDataDifference, DataRowDifference>? onRow, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        // Where the engine computes the set differences itself, it does (Auto); elsewhere rows are merged as they stream.
        var method = _options.Method == DataCompareMethod.Auto
            ? (_data.SetDifference is null ? DataCompareMethod.StreamingMerge : DataCompareMethod.SqlExcept)
            : _options.Method;
        if (method == DataCompareMethod.SqlExcept && _data.SetDifference is null)
            throw new OsRollbackException("CompareMethodUnsupported", OsErrorCategory.InvalidArgument,
                "The SqlExcept method compares SQLite files only.", plan.Table, "Use the StreamingMerge method (the default on SQL Server).");
        var sink = new RowSink(plan, _options.Since, onRow);
        if (method == DataCompareMethod.SqlExcept) CompareExcept(plan, currentConnection, sink, cancellationToken);
        else CompareMerged(plan, currentConnection, referenceConnection, sink, cancellationToken);
        _reporter.Progress(new ProgressUpdate($"Comparing {plan.Table}", "Done", 100, ActivityId: 2, ParentActivityId: 1, Completed: true));
        plan.Duration = stopwatch.Elapsed;
        _reporter.Verbose($"{plan.Table}: {plan.Inserted} inserted, {plan.Changed} changed, {plan.Deleted} deleted, {plan.Unchanged} unchanged ({stopwatch.Elapsed.TotalSeconds:0.00} s, {method}).");
    }

    /// <summary>The streaming merge: both sides ordered by key, one pass, constant memory. Works on every engine and across servers.</summary>
    private void CompareMerged(TableDataDifference plan, DbConnection currentConnection, DbConnection referenceConnection, RowSink sink, CancellationToken cancellationToken)
    {
        var columns = plan.Columns;
        var keyCount = plan.KeyColumns.Count;
        var expected = Math.Max(plan.CurrentTable!.RowCount ?? 0, plan.ReferenceTable!.RowCount ?? 0);

        using var currentCommand = currentConnection.CreateCommand();
        currentCommand.CommandText = SelectOrdered(_data, plan.CurrentTable!, columns, plan.KeyColumns);
        currentCommand.CommandTimeout = 0;
        using var referenceCommand = referenceConnection.CreateCommand();
        referenceCommand.CommandText = SelectOrdered(_data, plan.ReferenceTable!, columns, plan.KeyColumns);
        referenceCommand.CommandTimeout = 0;
        using var cur = currentCommand.ExecuteReader();
        using var rf = referenceCommand.ExecuteReader();

        var width = columns.Count;
        var curValues = new object[width];
        var refValues = new object[width];
        var lastCur = new object?[keyCount];
        var lastRef = new object?[keyCount];
        bool hasLastCur = false, hasLastRef = false;
        long lastCurId = long.MinValue, lastRefId = long.MinValue;
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
            else if (fastKey && curValues[0] is long x && refValues[0] is long y) cmp = x.CompareTo(y);
            else cmp = CompareKeys(curValues, refValues, keyCount);

            if (cmp == 0)
            {
                List<string>? changed = null;
                for (var i = keyCount; i < width; i++)
                {
                    if (!DbValues.AreEqual(curValues[i], refValues[i])) (changed ??= new()).Add(columns[i]);
                }
                if (changed is null) plan.Unchanged++;
                else sink.Report(RowDifferenceKind.Changed, changed, curValues, refValues);
                CheckOrder(true); CheckOrder(false);
                hasCur = ReadCur(); hasRef = ReadRef();
                read += 2;
            }
            else if (cmp < 0)
            {
                sink.Report(RowDifferenceKind.Deleted, null, curValues, null);
                CheckOrder(true);
                hasCur = ReadCur();
                read++;
            }
            else
            {
                sink.Report(RowDifferenceKind.Inserted, null, null, refValues);
                CheckOrder(false);
                hasRef = ReadRef();
                read++;
            }
            if ((read & 0xFFF) < 2) cancellationToken.ThrowIfCancellationRequested();
            if (read % _options.ProgressInterval < 2 && read >= _options.ProgressInterval)
                _reporter.Progress(new ProgressUpdate($"Comparing {plan.Table}", $"{read / 2:N0} of about {expected:N0} rows",
                    expected == 0 ? -1 : (int)Math.Min(100, read * 50 / expected), ActivityId: 2, ParentActivityId: 1));
        }

        void CheckOrder(bool current)
        {
            var values = current ? curValues : refValues;
            if (fastKey && values[0] is long id)
            {
                ref var lastId = ref (current ? ref lastCurId : ref lastRefId);
                ref var seen = ref (current ? ref hasLastCur : ref hasLastRef);
                if (seen && id <= lastId) ThrowOrder(current, values, [lastId]);
                lastId = id;
                seen = true;
                return;
            }
            var last = current ? lastCur : lastRef;
            ref var hasLast = ref (current ? ref hasLastCur : ref hasLastRef);
            if (hasLast && CompareKeys(values, last!, keyCount) <= 0) ThrowOrder(current, values, last);
            Array.Copy(values, last!, keyCount);
            hasLast = true;
        }

        void ThrowOrder(bool current, object[] values, object?[] last) =>
            throw new OsRollbackException("DataCompareOrderMismatch", OsErrorCategory.InvalidResult,
                $"{plan.Table}: the {(current ? "current" : "reference")} database returned keys out of the expected order ({DbValues.KeyText(plan.KeyColumns, values[..keyCount])} after {DbValues.KeyText(plan.KeyColumns, last)}); the comparison stopped rather than report wrong differences.",
                plan.Table, "Compare this table by hand, or report the key type and collation to the OsRollback maintainers.");
    }

    /// <summary>
    /// Where the engine can (SQLite): the reference is attached to the (read-only) current connection and
    /// the engine computes both set differences (reference EXCEPT current: rows inserted or changed,
    /// as they are in the reference; current EXCEPT reference: rows deleted or changed, as they
    /// are now), each ordered by key. Only differing rows reach .NET, where the two streams are
    /// merged on the key. SQLite's EXCEPT sorts in its temp store, so memory stays flat.
    /// </summary>
    private void CompareExcept(TableDataDifference plan, DbConnection connection, RowSink sink, CancellationToken cancellationToken)
    {
        var columns = plan.Columns;
        var width = columns.Count;
        var keyCount = plan.KeyColumns.Count;
        var difference = _data.SetDifference!;
        EnsureAttached(difference, connection);
        using var afterCommand = connection.CreateCommand();
        afterCommand.CommandText = difference.ExceptQuery(plan.Table, columns, keyCount, fromReference: true);
        afterCommand.CommandTimeout = 0;
        using var beforeCommand = connection.CreateCommand();
        beforeCommand.CommandText = difference.ExceptQuery(plan.Table, columns, keyCount, fromReference: false);
        beforeCommand.CommandTimeout = 0;
        using var after = afterCommand.ExecuteReader();
        using var before = beforeCommand.ExecuteReader();
        var refValues = new object[width];
        var curValues = new object[width];
        bool ReadAfter() { var ok = after.Read(); if (ok) after.GetValues(refValues); return ok; }
        bool ReadBefore() { var ok = before.Read(); if (ok) before.GetValues(curValues); return ok; }
        var hasAfter = ReadAfter();
        var hasBefore = ReadBefore();
        long n = 0;
        while (hasAfter || hasBefore)
        {
            var cmp = !hasBefore ? -1 : !hasAfter ? 1 : CompareKeys(refValues, curValues, keyCount);
            if (cmp == 0)
            {
                List<string>? changed = null;
                for (var i = keyCount; i < width; i++)
                    if (!DbValues.AreEqual(curValues[i], refValues[i])) (changed ??= new()).Add(columns[i]);
                if (changed is not null) sink.Report(RowDifferenceKind.Changed, changed, curValues, refValues);
                hasAfter = ReadAfter();
                hasBefore = ReadBefore();
            }
            else if (cmp < 0)
            {
                sink.Report(RowDifferenceKind.Inserted, null, null, refValues);
                hasAfter = ReadAfter();
            }
            else
            {
                sink.Report(RowDifferenceKind.Deleted, null, curValues, null);
                hasBefore = ReadBefore();
            }
            if ((++n & 0x3FF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
        // Rows in both that are not reported are unchanged.
        plan.Unchanged += (plan.CurrentTable!.RowCount ?? 0) - sink.MatchedCurrentRowsDiffering - sink.DeletedSeen;
    }

    private DbConnection? _attachedTo;

    private void EnsureAttached(ISetDifference difference, DbConnection connection)
    {
        if (ReferenceEquals(_attachedTo, connection)) return;
        difference.Attach(connection, _reference);
        _attachedTo = connection;
    }

    /// <summary>Counts a differing row (after the time filter) and hands it to the caller.</summary>
    private sealed class RowSink
    {
        private readonly TableDataDifference _plan;
        private readonly DateTime? _since;
        private readonly Action<TableDataDifference, DataRowDifference>? _onRow;
        private readonly int[] _timeIndexes;

        public RowSink(TableDataDifference plan, DateTime? since, Action<TableDataDifference, DataRowDifference>? onRow)
        {
            _plan = plan;
            _since = since;
            _onRow = onRow;
            var columns = plan.Columns.ToList();
            _timeIndexes = plan.TimeColumns.Select(t => columns.FindIndex(c => c.Equals(t, StringComparison.OrdinalIgnoreCase))).ToArray();
        }

        /// <summary>Current rows that matched a reference row but differ, before the time filter.</summary>
        public long MatchedCurrentRowsDiffering { get; private set; }
        public long DeletedSeen { get; private set; }

        public void Report(RowDifferenceKind kind, List<string>? changed, object[]? current, object[]? reference)
        {
            if (kind == RowDifferenceKind.Changed) MatchedCurrentRowsDiffering++;
            if (kind == RowDifferenceKind.Deleted) DeletedSeen++;
            if (_timeIndexes.Length > 0 && _since is DateTime since)
            {
                var inRange = false;
                foreach (var i in _timeIndexes)
                {
                    if (current is not null && DbValues.AsDateTime(current[i]) is { } c && c.Ticks >= since.Ticks) inRange = true;
                    if (reference is not null && DbValues.AsDateTime(reference[i]) is { } r && r.Ticks >= since.Ticks) inRange = true;
                }
                if (!inRange) { _plan.OutsideTimeFilter++; return; }
            }
            switch (kind)
            {
                case RowDifferenceKind.Inserted: _plan.Inserted++; break;
                case RowDifferenceKind.Deleted: _plan.Deleted++; break;
                default: _plan.Changed++; break;
            }
            if (_onRow is null) return;
            var columns = _plan.Columns;
            var keyCount = _plan.KeyColumns.Count;
            var source = reference ?? current!;
            var keyValues = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < keyCount; i++) keyValues[columns[i]] = DbValues.Normalize(source[i]);
            _onRow(_plan, new DataRowDifference
            {
                Table = _plan.Table,
                Kind = kind,
                Key = DbValues.KeyText(_plan.KeyColumns, source[..keyCount]),
                KeyValues = keyValues,
                ChangedColumns = changed ?? (IReadOnlyList<string>)[],
                ReferenceValues = reference is null ? null : ToDictionary(reference),
                CurrentValues = current is null ? null : ToDictionary(current),
            });
        }

        private Dictionary<string, object?> ToDictionary(object[] values)
        {
            var d = new Dictionary<string, object?>(values.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < _plan.Columns.Count; i++) d[_plan.Columns[i]] = DbValues.Normalize(values[i]);
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
