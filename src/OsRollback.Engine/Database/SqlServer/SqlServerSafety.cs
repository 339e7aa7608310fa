using OsRollback.Engine.Database.Safety;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>The shared safety rule applied to SQL Server backups (checked by the server that reads them).</summary>
internal static class SqlServerSafety
{
    /// <summary>The full check of a SQL Server backup of <paramref name="database"/> on the server behind <paramref name="session"/>.</summary>
    public static VerifiedBackup VerifySqlServer(this SafetyBackupChecker policy, ISqlSession session, BackupResult backup, string database, string serverName, bool verifyOnlyDone = false, CancellationToken ct = default) =>
        SqlServerSafetyCheck.Full(session, backup, database, serverName, verifyOnlyDone, policy.Now, ct);

    /// <summary>Right before replacing <paramref name="database"/>: cheap when this run issued the evidence, full otherwise.</summary>
    public static VerifiedBackup RecheckSqlServer(this SafetyBackupChecker policy, ISqlSession session, VerifiedBackup evidence, string database, string serverName, CancellationToken ct = default)
    {
        if (!evidence.IsFromThisRun) return policy.VerifySqlServer(session, evidence.Backup, database, serverName, false, ct);
        SqlServerSafetyCheck.Cheap(session, evidence, database, ct);
        return evidence;
    }
}
