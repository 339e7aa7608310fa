using OsRollback.Engine.Database.Safety;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>The shared safety rule applied to SQLite backup files.</summary>
internal static class SqliteSafety
{
    /// <summary>Evidence for a SQLite backup this run has just taken (its copy passed quick_check and its checksum was written).</summary>
    public static VerifiedBackup IssueSqlite(this SafetyBackupChecker policy, BackupResult justTaken) => SqliteSafetyCheck.JustTaken(justTaken, policy.Now);

    /// <summary>The full file check of a SQLite backup of <paramref name="sourcePath"/>.</summary>
    public static VerifiedBackup VerifySqlite(this SafetyBackupChecker policy, BackupResult backup, string sourcePath) => SqliteSafetyCheck.Full(backup, sourcePath, policy.Now);

    /// <summary>Right before replacing <paramref name="sourcePath"/>: cheap when this run issued the evidence, full otherwise.</summary>
    public static VerifiedBackup RecheckSqlite(this SafetyBackupChecker policy, VerifiedBackup evidence, string sourcePath)
    {
        if (!evidence.IsFromThisRun) return policy.VerifySqlite(evidence.Backup, sourcePath);
        SqliteSafetyCheck.Cheap(evidence, sourcePath);
        return evidence;
    }
}
