namespace OsRollback.Engine.Database;

/// <summary>The SQL of the timer tables (<see cref="ITimerTable"/>): one text for both engines (the metamodel convention).</summary>
public static class TimerTableSql
{
    // Shared timers keep their schedule state in OSSYS_CYCLIC_JOB_SHARED; timers of multi-tenant
    // modules whose meta timer is not shared keep one OSSYS_CYCLIC_JOB row per TENANT_ID. Both
    // are read, so every row the scheduler looks at is suspended.
    public const string SelectTimers =
        "SELECT m.ID, m.NAME, m.ESPACE_ID, m.IS_ACTIVE, s.NEXT_RUN, s.IS_RUNNING_SINCE, NULL AS TENANT_ID " +
        "FROM OSSYS_META_CYCLIC_JOB m INNER JOIN OSSYS_CYCLIC_JOB_SHARED s ON s.META_CYCLIC_JOB_ID = m.ID " +
        "UNION ALL " +
        "SELECT m.ID, m.NAME, m.ESPACE_ID, m.IS_ACTIVE, t.NEXT_RUN, t.IS_RUNNING_SINCE, t.TENANT_ID " +
        "FROM OSSYS_META_CYCLIC_JOB m INNER JOIN OSSYS_CYCLIC_JOB t ON t.META_CYCLIC_JOB_ID = m.ID " +
        "ORDER BY 2, 1, 7";

    public const string SetNextRun = "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = @nextRun WHERE META_CYCLIC_JOB_ID = @id";

    public const string SelectNextRun = "SELECT NEXT_RUN FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";

    public const string SetTenantNextRun = "UPDATE OSSYS_CYCLIC_JOB SET NEXT_RUN = @nextRun WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";

    public const string SelectTenantNextRun = "SELECT NEXT_RUN FROM OSSYS_CYCLIC_JOB WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";

    public const string CountShared = "SELECT COUNT(*) FROM OSSYS_CYCLIC_JOB_SHARED WHERE META_CYCLIC_JOB_ID = @id";

    public const string CountTenant = "SELECT COUNT(*) FROM OSSYS_CYCLIC_JOB WHERE META_CYCLIC_JOB_ID = @id AND TENANT_ID = @tenantId";
}
