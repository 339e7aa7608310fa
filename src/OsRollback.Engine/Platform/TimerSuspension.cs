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
    public override string ToString() => Name;
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

    public const string SelectTimersSql =
        "SELECT m.ID, m.NAME, m.ESPACE_ID, m.IS_ACTIVE, s.NEXT_RUN, s.IS_RUNNING_SINCE " +
        "FROM OSSYS_META_CYCLIC_JOB m INNER JOIN OSSYS_CYCLIC_JOB_SHARED s ON s.META_CYCLIC_JOB_ID = m.ID " +
        "ORDER BY m.NAME, m.ID";

    public const string SetNextRunSql = "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = @nextRun WHERE META_CYCLIC_JOB_ID = @id";

    public const string SelectNextRunSql = "SELECT NEXT_RUN FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";

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
                reporter.Warning($"Timer {timer.Name} is already suspended; it is left out of this state (resume it with the earlier state).");
                continue;
            }
            if (timer.IsRunningSince is not null) reporter.Warning($"Timer {timer.Name} is running since {timer.IsRunningSince}; the current run is not interrupted.");
            Execute(connection, transaction, SetNextRunSql, ("@nextRun", Suspended(target)), ("@id", timer.Id));
            state.Timers.Add(timer);
            reporter.Verbose($"Suspended timer {timer.Name} (next run was {timer.NextRun ?? "not set"}).");
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
            var current = Scalar(connection, transaction, SelectNextRunSql, ("@id", timer.Id));
            if (current is null && !Exists(connection, transaction, timer.Id))
            {
                reporter.Warning($"Timer {timer.Name} no longer exists; skipped.");
                skipped.Add(timer.Name);
                continue;
            }
            if (!IsSuspendedValue(Text(current)))
            {
                reporter.Warning($"Timer {timer.Name} was rescheduled since the suspension (next run {Text(current)}); left as it is.");
                skipped.Add(timer.Name);
                continue;
            }
            Execute(connection, transaction, SetNextRunSql, ("@nextRun", Restore(target, timer.NextRun)), ("@id", timer.Id));
            restored.Add(timer.Name);
            reporter.Verbose($"Resumed timer {timer.Name} (next run {timer.NextRun ?? "not set"}).");
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

    private static bool Exists(DbConnection connection, DbTransaction transaction, long id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";
        Add(command, "@id", id);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
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
