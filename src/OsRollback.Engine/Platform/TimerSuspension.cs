using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>One timer and the state it had before it was suspended.</summary>
public sealed class TimerState
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public long? EspaceId { get; set; }
    public bool IsActive { get; set; }
    /// <summary>NEXT_RUN before the suspension, as the database held it (invariant text; null when empty).</summary>
    public string? NextRun { get; set; }
    /// <summary>Set when the timer was running when it was suspended (a running timer is not interrupted).</summary>
    public string? IsRunningSince { get; set; }
    /// <summary>
    /// The NEXT_RUN a publish gave the timer while it was suspended ("When Published" timers wake after
    /// each publish): Resume writes it back instead of <see cref="NextRun"/>, so the timer runs once, as
    /// after any publish, but only when the timers resume. Null: not woken.
    /// </summary>
    public string? WokenNextRun { get; set; }
    /// <summary>The tenant of a per-tenant row (OSSYS_CYCLIC_JOB, timers of multi-tenant modules whose meta timer is not shared); null for the shared row.</summary>
    public long? TenantId { get; set; }
    /// <summary>The name, with the tenant for a per-tenant row.</summary>
    public string Label => TenantId is { } tenant ? $"{Name} (tenant {tenant})" : Name;
    public override string ToString() => Label;
}

/// <summary>What <see cref="TimerSuspension.Suspend"/> changed: written to a state file and taken back by Resume-OsTimer.</summary>
public sealed class TimerSuspensionState
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    public int FormatVersion { get; set; } = 1;
    public string Database { get; set; } = "";
    public DateTimeOffset SuspendedOn { get; set; }
    /// <summary>The NEXT_RUN value written while suspended (the scheduler never reaches it).</summary>
    public string SuspendedUntil { get; set; } = TimerSuspension.SuspendedUntilText;
    public List<TimerState> Timers { get; set; } = new();
    public string? Path { get; set; }

    public void Save(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(Path, JsonSerializer.Serialize(this, Indented));
    }

    public static TimerSuspensionState Load(string path)
    {
        if (!File.Exists(path))
            throw new OsRollbackException("TimerStateFileNotFound", OsErrorCategory.ObjectNotFound, $"The timer state file '{path}' does not exist.", path, "Give the file written by Suspend-OsTimer -StatePath.");
        try
        {
            var state = JsonSerializer.Deserialize<TimerSuspensionState>(File.ReadAllText(path)) ?? throw new JsonException("empty");
            state.Path = System.IO.Path.GetFullPath(path);
            return state;
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException("TimerStateFileInvalid", OsErrorCategory.InvalidData, $"'{path}' is not a timer state file: {ex.Message}", path, "Give the file written by Suspend-OsTimer -StatePath.");
        }
    }

    public override string ToString() => $"{Timers.Count} timer(s) suspended in {Database}";
}

/// <summary>The outcome of a resume: which timers got their state back and which were left alone.</summary>
public sealed class TimerResumeResult
{
    public string Database { get; init; } = "";
    public string[] Restored { get; init; } = [];
    /// <summary>Timers whose NEXT_RUN was changed by someone else since the suspension, or that no longer exist.</summary>
    public string[] Skipped { get; init; } = [];
}

/// <summary>
/// Suspends OutSystems timers by moving OSSYS_CYCLIC_JOB_SHARED.NEXT_RUN far into the future (the
/// scheduler runs a timer when NEXT_RUN &lt;= now), after recording each timer's prior NEXT_RUN;
/// Resume writes back exactly the recorded value, only where the suspension is still in place.
/// The SQL is valid on SQL Server and SQLite.
/// </summary>
public static class TimerSuspension
{
    public const string SuspendedUntilText = "2999-12-31 00:00:00";
    private static readonly DateTime SuspendedUntil = new(2999, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);

    // Shared timers keep their schedule state in OSSYS_CYCLIC_JOB_SHARED; timers of multi-tenant
    // modules whose meta timer is not shared keep one OSSYS_CYCLIC_JOB row per TENANT_ID. Both
    // are read, so every row the scheduler looks at is suspended.
    public const string SelectTimersSql =
        "SELECT m.ID, m.NAME, m.ESPACE_ID, m.IS_ACTIVE, s.NEXT_RUN, s.IS_RUNNING_SINCE, NULL AS TENANT_ID " +
        "FROM OSSYS_META_CYCLIC_JOB m INNER JOIN OSSYS_CYCLIC_JOB_SHARED s ON s.META_CYCLIC_JOB_ID = m.ID " +
        "UNION ALL " +
        "SELECT m.ID, m.NAME, m.ESPACE_ID, m.IS_ACTIVE, t.NEXT_RUN, t.IS_RUNNING_SINCE, t.TENANT_ID " +
        "FROM OSSYS_META_CYCLIC_JOB m INNER JOIN OSSYS_CYCLIC_JOB t ON t.META_CYCLIC_JOB_ID = m.ID " +
        "ORDER BY 2, 1, 7";

    public const string SetNextRunSql = "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = @nextRun WHERE META_CYCLIC_JOB_ID = @id";

    public const string SelectNextRunSql = "SELECT NEXT_RUN FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";

    public const string SetTenantNextRunSql = "UPDATE OSSYS_CYCLIC_JOB SET NEXT_RUN = @nextRun WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";

    public const string SelectTenantNextRunSql = "SELECT NEXT_RUN FROM OSSYS_CYCLIC_JOB WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";

    public const string CountSharedSql = "SELECT COUNT(*) FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";

    public const string CountTenantSql = "SELECT COUNT(*) FROM OSSYS_CYCLIC_JOB WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";

    /// <summary>The timers and their current state.</summary>
    public static IReadOnlyList<TimerState> Read(DatabaseTarget target)
    {
        using var connection = target.OpenConnection();
        return ReadTimers(connection, null);
    }

    /// <summary>
    /// Suspends the active timers (all, or those named); returns what was recorded. <paramref name="names"/> matches NAME
    /// case-insensitively. <paramref name="beforeCommit"/> gets the state before the change is committed (to save it):
    /// if it throws, nothing is suspended, so a prior schedule is never lost.
    /// </summary>
    public static TimerSuspensionState Suspend(DatabaseTarget target, IEnumerable<string>? names = null, IOperationReporter? reporter = null, TimeProvider? time = null,
        Action<TimerSuspensionState>? beforeCommit = null)
    {
        reporter ??= NullReporter.Instance;
        var wanted = names?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var connection = target.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var timers = ReadTimers(connection, transaction).Where(t => wanted is null || wanted.Count == 0 || wanted.Contains(t.Name)).ToList();
        if (wanted is { Count: > 0 })
        {
            var unknown = wanted.Where(w => !timers.Any(t => t.Name.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
                throw new OsRollbackException("TimerNotFound", OsErrorCategory.ObjectNotFound, $"No timer named {string.Join(", ", unknown)} in {target.DisplayName}.", unknown[0], "List the timers with Suspend-OsTimer -WhatIf.");
        }
        var state = new TimerSuspensionState { Database = target.DisplayName, SuspendedOn = (time ?? TimeProvider.System).GetUtcNow() };
        foreach (var timer in timers)
        {
            if (IsSuspendedValue(timer.NextRun))
            {
                reporter.Warning($"Timer {timer.Label} is already suspended; it is left out of this state (resume it with the earlier state).");
                continue;
            }
            if (timer.IsRunningSince is not null) reporter.Warning($"Timer {timer.Label} is running since {timer.IsRunningSince}; the current run is not interrupted.");
            SetNextRun(connection, transaction, timer, Suspended(target));
            state.Timers.Add(timer);
            reporter.Verbose($"Suspended timer {timer.Label} (next run was {timer.NextRun ?? "not set"}).");
        }
        beforeCommit?.Invoke(state);
        transaction.Commit();
        return state;
    }

    /// <summary>Writes back each recorded NEXT_RUN where the timer is still suspended; leaves others alone with a warning.</summary>
    public static TimerResumeResult Resume(DatabaseTarget target, TimerSuspensionState state, IOperationReporter? reporter = null)
    {
        reporter ??= NullReporter.Instance;
        using var connection = target.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var restored = new List<string>();
        var skipped = new List<string>();
        foreach (var timer in state.Timers)
        {
            var current = timer.TenantId is { } tenant
                ? Scalar(connection, transaction, SelectTenantNextRunSql, ("@id", timer.Id), ("@tenantId", tenant))
                : Scalar(connection, transaction, SelectNextRunSql, ("@id", timer.Id));
            if (current is null && !Exists(connection, transaction, timer))
            {
                reporter.Warning($"Timer {timer.Label} no longer exists; skipped.");
                skipped.Add(timer.Label);
                continue;
            }
            if (!IsSuspendedValue(Text(current)))
            {
                reporter.Warning($"Timer {timer.Label} was rescheduled since the suspension (next run {Text(current)}); left as it is.");
                skipped.Add(timer.Label);
                continue;
            }
            var nextRun = timer.WokenNextRun ?? timer.NextRun;
            SetNextRun(connection, transaction, timer, Restore(target, nextRun));
            restored.Add(timer.Label);
            reporter.Verbose($"Resumed timer {timer.Label} (next run {nextRun ?? "not set"}{(timer.WokenNextRun is null ? "" : ", as the publish that woke it asked")}).");
        }
        transaction.Commit();
        return new TimerResumeResult { Database = target.DisplayName, Restored = restored.ToArray(), Skipped = skipped.ToArray() };
    }

    private static List<TimerState> ReadTimers(DbConnection connection, DbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SelectTimersSql;
        using var reader = command.ExecuteReader();
        var timers = new List<TimerState>();
        while (reader.Read())
        {
            timers.Add(new TimerState
            {
                Id = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                Name = reader.IsDBNull(1) ? "" : reader.GetValue(1).ToString()!,
                EspaceId = reader.IsDBNull(2) ? null : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                IsActive = !reader.IsDBNull(3) && Convert.ToBoolean(reader.GetValue(3), CultureInfo.InvariantCulture),
                NextRun = reader.IsDBNull(4) ? null : Text(reader.GetValue(4)),
                IsRunningSince = reader.IsDBNull(5) ? null : Text(reader.GetValue(5)),
                TenantId = reader.IsDBNull(6) ? null : Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture),
            });
        }
        return timers;
    }

    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static bool IsSuspendedValue(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && value.Year >= 2999;

    private static object Suspended(DatabaseTarget target) => target.Engine == DatabaseEngineKind.SqlServer ? SuspendedUntil : SuspendedUntilText;

    /// <summary>SQL Server gets a DateTime back; SQLite the exact text it held.</summary>
    private static object Restore(DatabaseTarget target, string? text) =>
        text is null ? DBNull.Value
        : target.Engine == DatabaseEngineKind.SqlServer ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None)
        : text;

    private static void SetNextRun(DbConnection connection, DbTransaction transaction, TimerState timer, object nextRun)
    {
        if (timer.TenantId is { } tenant) Execute(connection, transaction, SetTenantNextRunSql, ("@nextRun", nextRun), ("@id", timer.Id), ("@tenantId", tenant));
        else Execute(connection, transaction, SetNextRunSql, ("@nextRun", nextRun), ("@id", timer.Id));
    }

    private static bool Exists(DbConnection connection, DbTransaction transaction, TimerState timer)
    {
        var count = timer.TenantId is { } tenant
            ? Scalar(connection, transaction, CountTenantSql, ("@id", timer.Id), ("@tenantId", tenant))
            : Scalar(connection, transaction, CountSharedSql, ("@id", timer.Id));
        return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
    }

    private static object? Scalar(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        command.ExecuteNonQuery();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        if (value is DateTime) parameter.DbType = DbType.DateTime;
        command.Parameters.Add(parameter);
    }
}
