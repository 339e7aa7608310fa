namespace OsRollback.Engine.Database;

/// <summary>The SQL of the business-process instances (<see cref="IPlatformTables.ReadProcessesInFlight"/>): one text for both engines.</summary>
public static class ProcessInstanceSql
{
    /// <summary>
    /// Business process (BPT) instances that have not ended, per process definition and module (docs/platform.md,
    /// "Business processes"): OSSYS_BPM_PROCESS (PROCESS_DEF_ID, STATUS_ID) and OSSYS_BPM_PROCESS_STATUS (ID, NAME:
    /// Active, Closed, Suspended, Terminated) are documented; the ESPACE_ID and NAME columns of OSSYS_BPM_PROCESS_DEFINITION are not.
    /// </summary>
    public const string SelectInFlight = "SELECT e.NAME, d.NAME, COUNT(p.ID) FROM OSSYS_BPM_PROCESS p "
        + "INNER JOIN OSSYS_BPM_PROCESS_STATUS s ON s.ID = p.STATUS_ID "
        + "INNER JOIN OSSYS_BPM_PROCESS_DEFINITION d ON d.ID = p.PROCESS_DEF_ID "
        + "INNER JOIN OSSYS_ESPACE e ON e.ID = d.ESPACE_ID "
        + "WHERE s.NAME IN ('Active', 'Suspended') "
        + "GROUP BY e.NAME, d.NAME ORDER BY e.NAME, d.NAME";
}
