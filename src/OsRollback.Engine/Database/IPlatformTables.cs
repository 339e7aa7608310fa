using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// The platform tables the timer cmdlets and the planner use: the timers' schedule
/// (OSSYS_CYCLIC_JOB_SHARED, OSSYS_CYCLIC_JOB) and the business-process instances (OSSYS_BPM_*).
/// The SQL is the same on every engine (<see cref="TimerTableSql"/>, <see cref="ProcessInstanceSql"/>); how values and connections
/// are handled is the engine's.
/// </summary>
public interface IPlatformTables
{
    /// <summary>Opens the timer tables in a transaction; disposing without <see cref="ITimerTable.Commit"/> changes nothing.</summary>
    ITimerTable OpenTimers(DatabaseTarget target);

    /// <summary>Process instances that have not ended (Active or Suspended), per module and process definition; read-only (throws a DbException when the tables are absent).</summary>
    IReadOnlyList<ProcessInFlight> ReadProcessesInFlight(DatabaseTarget target);
}

/// <summary>The timer rows of one transaction. A row is a shared timer (tenant null) or one tenant's row.</summary>
public interface ITimerTable : IDisposable
{
    /// <summary>Every timer row with its schedule state, ordered by name, id and tenant.</summary>
    IReadOnlyList<TimerRow> Read();

    /// <summary>The row's NEXT_RUN as invariant text; null when empty or when the row is gone.</summary>
    string? ReadNextRun(long id, long? tenantId);

    /// <summary>Whether the row exists.</summary>
    bool Exists(long id, long? tenantId);

    /// <summary>Writes NEXT_RUN from invariant text (null: empty), in the column's own type.</summary>
    void SetNextRun(long id, long? tenantId, string? nextRun);

    void Commit();
}

/// <summary>One timer row: the meta timer (id, name, module, active) and its schedule state (NEXT_RUN, IS_RUNNING_SINCE as invariant text).</summary>
public sealed record TimerRow(long Id, string Name, long? EspaceId, bool IsActive, string? NextRun, string? IsRunningSince, long? TenantId);

/// <summary>Process instances of one process definition that have not ended (Active or Suspended).</summary>
public sealed record ProcessInFlight(string Module, string Process, int Instances);
