using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// A recording fake of a SQL session: every statement, BEGIN, COMMIT and ROLLBACK is logged in
/// order; SELECTs answer from <see cref="Rows"/>; <see cref="FailWhen"/> makes a statement throw.
/// </summary>
public sealed class RecordingConnection : DbConnection
{
    public List<string> Log { get; } = new();
    public Func<string, DataTable?>? Rows { get; set; }
    public Func<string, bool>? FailWhen { get; set; }

    [AllowNull] public override string ConnectionString { get; set; } = "";
    public override string Database => "fake";
    public override string DataSource => "fake";
    public override string ServerVersion => "16.0";
    public override ConnectionState State => ConnectionState.Open;
    public override void ChangeDatabase(string databaseName) { }
    public override void Close() { }
    public override void Open() { }
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) { Log.Add("BEGIN TRANSACTION"); return new RecordingTransaction(this); }
    protected override DbCommand CreateDbCommand() => new RecordingCommand(this);

    private sealed class RecordingTransaction(RecordingConnection connection) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;
        protected override DbConnection DbConnection => connection;
        public override void Commit() => connection.Log.Add("COMMIT");
        public override void Rollback() => connection.Log.Add("ROLLBACK");
    }

    private sealed class RecordingCommand(RecordingConnection connection) : DbCommand
    {
        private readonly RecordingParameters _parameters = new();
        [AllowNull] public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; } = connection;
        protected override DbParameterCollection DbParameterCollection => _parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => new RecordingParameter();

        public override int ExecuteNonQuery() { Record(); return 1; }
        public override object? ExecuteScalar() { Record(); return null; }
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Record();
            return (connection.Rows?.Invoke(CommandText) ?? new DataTable()).CreateDataReader();
        }

        private void Record()
        {
            if (DbTransaction is null) throw new InvalidOperationException("A statement ran outside the transaction: " + CommandText);
            connection.Log.Add(CommandText);
            if (connection.FailWhen?.Invoke(CommandText) == true) throw new FakeDbException($"Statement failed: {CommandText}");
        }
    }

    private sealed class RecordingParameter : DbParameter
    {
        public override DbType DbType { get; set; }
        public override ParameterDirection Direction { get; set; }
        public override bool IsNullable { get; set; }
        [AllowNull] public override string ParameterName { get; set; } = "";
        public override int Size { get; set; }
        [AllowNull] public override string SourceColumn { get; set; } = "";
        public override bool SourceColumnNullMapping { get; set; }
        public override object? Value { get; set; }
        public override void ResetDbType() { }
    }

    private sealed class RecordingParameters : DbParameterCollection
    {
        private readonly List<DbParameter> _items = new();
        public override int Count => _items.Count;
        public override object SyncRoot => _items;
        public override int Add(object value) { _items.Add((DbParameter)value); return _items.Count - 1; }
        public override void AddRange(Array values) { foreach (var v in values) Add(v!); }
        public override void Clear() => _items.Clear();
        public override bool Contains(object value) => _items.Contains((DbParameter)value);
        public override bool Contains(string value) => _items.Any(p => p.ParameterName == value);
        public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);
        public override IEnumerator GetEnumerator() => _items.GetEnumerator();
        public override int IndexOf(object value) => _items.IndexOf((DbParameter)value);
        public override int IndexOf(string parameterName) => _items.FindIndex(p => p.ParameterName == parameterName);
        public override void Insert(int index, object value) => _items.Insert(index, (DbParameter)value);
        public override void Remove(object value) => _items.Remove((DbParameter)value);
        public override void RemoveAt(int index) => _items.RemoveAt(index);
        public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));
        protected override DbParameter GetParameter(int index) => _items[index];
        protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];
        protected override void SetParameter(int index, DbParameter value) => _items[index] = value;
        protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = value;
    }
}

public sealed class FakeDbException(string message) : DbException(message);
