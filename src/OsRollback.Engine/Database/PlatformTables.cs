using System.Data;
using System.Data.Common;
using System.Globalization;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// The platform tables over ADO.NET with the shared SQL (<see cref="TimerTableSql"/>, <see cref="ProcessInstanceSql"/>); an engine
/// says how NEXT_RUN is written and how a connection that changes nothing is opened.
/// </summary>
public abstract class PlatformTables : IPlatformTables
{
    /// <summary>NEXT_RUN as the column takes it, from invariant text.</summary>
    protected abstract object NextRunValue(string text);

    /// <summary>A connection for reading only (default: the target's ordinary connection; the queries read only).</summary>
    protected virtual DbConnection OpenForReading(DatabaseTarget target) => target.OpenConnection();

    public ITimerTable OpenTimers(DatabaseTarget target)
    {
        var connection = target.OpenConnection();
        try { return new TimerTable(connection, connection.BeginTransaction(), NextRunValue); }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IReadOnlyList<ProcessInFlight> ReadProcessesInFlight(DatabaseTarget target)
    {
        using var connection = OpenForReading(target);
        using var command = connection.CreateCommand();
        command.CommandText = ProcessInstanceSql.SelectInFlight;
        using var reader = command.ExecuteReader();
        var processes = new List<ProcessInFlight>();
        while (reader.Read())
            processes.Add(new ProcessInFlight(reader.GetValue(0).ToString()!, reader.GetValue(1).ToString()!, Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        return processes;
    }

    /// <summary>A date as invariant text (the state file keeps it as text; SQLite holds text already).</summary>
    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed class TimerTable(DbConnection connection, DbTransaction transaction, Func<string, object> nextRunValue) : ITimerTable
    {
        public IReadOnlyList<TimerRow> Read()
        {
            using var command = Command(TimerTableSql.SelectTimers);
            using var reader = command.ExecuteReader();
            var timers = new List<TimerRow>();
            while (reader.Read())
            {
                timers.Add(new TimerRow(
                    Id: Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                    Name: reader.IsDBNull(1) ? "" : reader.GetValue(1).ToString()!,
                    EspaceId: reader.IsDBNull(2) ? null : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                    IsActive: !reader.IsDBNull(3) && Convert.ToBoolean(reader.GetValue(3), CultureInfo.InvariantCulture),
                    NextRun: reader.IsDBNull(4) ? null : Text(reader.GetValue(4)),
                    IsRunningSince: reader.IsDBNull(5) ? null : Text(reader.GetValue(5)),
                    TenantId: reader.IsDBNull(6) ? null : Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture)));
            }
            return timers;
        }

        public string? ReadNextRun(long id, long? tenantId) => Text(tenantId is { } tenant
            ? Scalar(TimerTableSql.SelectTenantNextRun, ("@id", id), ("@tenantId", tenant))
            : Scalar(TimerTableSql.SelectNextRun, ("@id", id)));

        public bool Exists(long id, long? tenantId)
        {
            var count = tenantId is { } tenant
                ? Scalar(TimerTableSql.CountTenant, ("@id", id), ("@tenantId", tenant))
                : Scalar(TimerTableSql.CountShared, ("@id", id));
            return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
        }

        public void SetNextRun(long id, long? tenantId, string? nextRun)
        {
            var value = nextRun is null ? DBNull.Value : nextRunValue(nextRun);
            using var command = tenantId is { } tenant
                ? Command(TimerTableSql.SetTenantNextRun, ("@nextRun", value), ("@id", id), ("@tenantId", tenant))
                : Command(TimerTableSql.SetNextRun, ("@nextRun", value), ("@id", id));
            command.ExecuteNonQuery();
        }

        public void Commit() => transaction.Commit();

        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }

        private object? Scalar(string sql, params (string Name, object Value)[] parameters)
        {
            using var command = Command(sql, parameters);
            var result = command.ExecuteScalar();
            return result is DBNull ? null : result;
        }

        private DbCommand Command(string sql, params (string Name, object Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                if (value is DateTime) parameter.DbType = DbType.DateTime;
                command.Parameters.Add(parameter);
            }
            return command;
        }
    }
}
