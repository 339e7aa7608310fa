using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Safety;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// The checks of a SQL Server safety backup, run by the server that would restore it: RESTORE
/// HEADERONLY (database name, server name, family GUID equal to the replaced database's) and
/// RESTORE VERIFYONLY WITH CHECKSUM. A header that lacks what is compared fails the check.
/// </summary>
internal static class SqlServerSafetyCheck
{
    public const string FamilyGuidQuery = """
        SELECT drs.family_guid, drs.database_guid
        FROM sys.database_recovery_status AS drs
        WHERE drs.database_id = DB_ID(@database);
        """;

    /// <param name="verifyOnlyDone">True when the backup was just written with CHECKSUM and VERIFYONLY ran in this run (it is not run twice).</param>
    public static VerifiedBackup Full(ISqlSession session, BackupResult backup, string database, string serverName, bool verifyOnlyDone, DateTimeOffset now, CancellationToken ct)
    {
        var devices = Devices(backup);
        var header = Header(session, devices, backup, ct);
        var family = CheckIdentity(session, header, backup, database, serverName, ct);
        if (!header.Bool("HasBackupChecksums"))
        {
            throw new SafetyBackupRefusedException("SafetyBackupWithoutChecksum", OsErrorCategory.InvalidData,
                $"The safety backup {string.Join(", ", backup.FilePath)} was written without CHECKSUM, so its pages cannot be verified.", Display(backup),
                "Take the safety backup WITH CHECKSUM (Backup-OsDatabase does), or let the cmdlet take one. Nothing was replaced.");
        }
        if (!verifyOnlyDone)
        {
            try
            {
                session.ExecuteNonQuery(SqlServerScripts.VerifyOnly(devices), longRunning: true, cancellationToken: ct);
            }
            catch (OsRollbackException ex)
            {
                throw new SafetyBackupRefusedException("SafetyBackupIntegrityFailed", OsErrorCategory.InvalidData,
                    $"RESTORE VERIFYONLY WITH CHECKSUM refused the safety backup {string.Join(", ", backup.FilePath)}: {ex.Message}", Display(backup),
                    "Take a new safety backup; nothing was replaced.", ex);
            }
        }
        return new VerifiedBackup(SafetyBackupChecker.RunId)
        {
            Backup = backup,
            Database = header.String("DatabaseName")!,
            ServerName = header.String("ServerName"),
            FamilyGuid = family,
            HeaderBackupStart = header.Date("BackupStartDate"),
            Files = backup.FilePath.Where(File.Exists).Select(FileFingerprint.Of).ToList(),
            VerifiedAt = now,
            Checks = ["RESTORE HEADERONLY: database, server, family GUID", "RESTORE VERIFYONLY WITH CHECKSUM"],
        };
    }

    /// <summary>Right before a replace: the header still names the same backup set (one header read, no data pages).</summary>
    public static void Cheap(ISqlSession session, VerifiedBackup evidence, string database, CancellationToken ct)
    {
        foreach (var seen in evidence.Files)
        {
            if (!File.Exists(seen.Path)) throw Changed(evidence, $"'{seen.Path}' is gone");
            var now = FileFingerprint.Of(seen.Path);
            if (now.Size != seen.Size || now.LastWriteUtc != seen.LastWriteUtc) throw Changed(evidence, $"'{seen.Path}' was rewritten");
        }
        var header = Header(session, Devices(evidence.Backup), evidence.Backup, ct);
        if (!string.Equals(header.String("DatabaseName"), database, StringComparison.OrdinalIgnoreCase)
            || header.Date("BackupStartDate") != evidence.HeaderBackupStart
            || ParseGuid(header) != evidence.FamilyGuid)
            throw Changed(evidence, "its header names another backup set");
    }

    private static Guid CheckIdentity(ISqlSession session, SqlRow header, BackupResult backup, string database, string serverName, CancellationToken ct)
    {
        var name = header.String("DatabaseName");
        if (!string.Equals(name, database, StringComparison.OrdinalIgnoreCase))
            throw Other(backup, $"it holds the database '{name}', not '{database}'");
        var server = header.String("ServerName");
        if (string.IsNullOrEmpty(server) || ParseGuid(header) is not Guid family)
        {
            throw new SafetyBackupRefusedException("SafetyBackupHeaderIncomplete", OsErrorCategory.InvalidData,
                $"RESTORE HEADERONLY of {string.Join(", ", backup.FilePath)} gives no server name or family GUID, so it cannot be shown to be a backup of '{database}'.", Display(backup),
                "Pass a full database backup taken on this server, or let the cmdlet take one. Nothing was replaced.");
        }
        if (!string.Equals(server, serverName, StringComparison.OrdinalIgnoreCase))
            throw Other(backup, $"it was taken on '{server}', not on '{serverName}'");
        var row = session.ExecuteReader(FamilyGuidQuery, [new("@database", database)], cancellationToken: ct).FirstOrNull();
        var current = row?.Guid("family_guid");
        if (current != family)
            throw Other(backup, $"its family GUID {family} is not that of the database on the server ({current?.ToString() ?? "unknown"})");
        return family;
    }

    private static Guid? ParseGuid(SqlRow header) => header.Guid("FamilyGUID");

    private static SqlRow Header(ISqlSession session, IReadOnlyList<BackupDevice> devices, BackupResult backup, CancellationToken ct)
    {
        try
        {
            return session.ExecuteReader(SqlServerScripts.HeaderOnly(devices), cancellationToken: ct).FirstOrNull()
                ?? throw new SafetyBackupRefusedException("SafetyBackupIntegrityFailed", OsErrorCategory.InvalidData,
                    $"RESTORE HEADERONLY found no backup set in {string.Join(", ", backup.FilePath)}.", Display(backup), "Take a new safety backup; nothing was replaced.");
        }
        catch (OsRollbackException ex) when (ex is not SafetyBackupRefusedException)
        {
            throw new SafetyBackupRefusedException("SafetyBackupIntegrityFailed", OsErrorCategory.InvalidData,
                $"The safety backup {string.Join(", ", backup.FilePath)} cannot be read: {ex.Message}", Display(backup), "Take a new safety backup; nothing was replaced.", ex);
        }
    }

    private static List<BackupDevice> Devices(BackupResult backup) =>
        backup.FilePath.Length == 0
            ? throw new SafetyBackupRefusedException("SafetyBackupFileMissing", OsErrorCategory.ObjectNotFound,
                $"The safety backup of '{backup.Database}' names no backup file.", Display(backup),
                "Pass a backup from Backup-OsDatabase or Get-OsDatabaseBackup, or let the cmdlet take one. Nothing was replaced.")
            : backup.FilePath.Select(f => new BackupDevice(f, SqlServerBackupEngine.IsUrl(f))).ToList();

    private static OsRollbackException Other(BackupResult backup, string why) =>
        new SafetyBackupRefusedException("SafetyBackupOfAnotherDatabase", OsErrorCategory.InvalidData,
            $"The safety backup {string.Join(", ", backup.FilePath)} is not a backup of the database being replaced: {why}.", Display(backup),
            "Pass a backup of the database being replaced, or let the cmdlet take one. Nothing was replaced.");

    private static OsRollbackException Changed(VerifiedBackup evidence, string why) =>
        new SafetyBackupRefusedException("SafetyBackupChangedSinceVerified", OsErrorCategory.InvalidData,
            $"The safety backup {string.Join(", ", evidence.Backup.FilePath)} is not the one verified at {evidence.VerifiedAt:u}: {why}.", Display(evidence.Backup),
            "Take a new safety backup; nothing was replaced.");

    private static string Display(BackupResult backup) => backup.SqlInstance is null ? backup.Database : $"{backup.SqlInstance}/{backup.Database}";
}
