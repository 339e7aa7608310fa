using OsRollback.Engine.Database;
namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// The statements of a snapshot revert, in the order the revert runs them: SINGLE_USER, tail-log
/// backup (FULL recovery only), drop the other snapshots, RESTORE FROM DATABASE_SNAPSHOT,
/// MULTI_USER, full backup. Built once; the revert runs it and -OutputScriptOnly writes it.
/// </summary>
public sealed record RevertScript
{
    public required string SingleUser { get; init; }
    public string? TailLogBackup { get; init; }
    /// <summary>The tail-log backup's file (null: SIMPLE recovery, no tail).</summary>
    public string? TailLogFile { get; init; }
    public IReadOnlyList<string> DropOtherSnapshots { get; init; } = [];
    public required string Revert { get; init; }
    public required string MultiUser { get; init; }
    public required string FullBackupAfter { get; init; }
    public required string FullBackupAfterFile { get; init; }

    /// <summary>Every statement, in run order.</summary>
    public IReadOnlyList<string> Statements =>
        [SingleUser, .. TailLogBackup is null ? Array.Empty<string>() : [TailLogBackup], .. DropOtherSnapshots, Revert, MultiUser, FullBackupAfter];

    /// <param name="database">The database reverted.</param>
    /// <param name="snapshot">The rollback point's snapshot.</param>
    /// <param name="otherSnapshots">Other snapshots of the database (SQL Server reverts only a database with one snapshot).</param>
    /// <param name="fullRecovery">FULL recovery model: a tail-log backup keeps what was written since the deploy.</param>
    /// <param name="folder">Server folder of the tail-log backup and the full backup after the revert.</param>
    /// <param name="stamp">UTC timestamp (yyyyMMdd_HHmmss) in the file names.</param>
    public static RevertScript For(string database, string snapshot, IReadOnlyList<string> otherSnapshots, bool fullRecovery, string folder, string stamp)
    {
        var separator = folder.Contains('/') ? '/' : '\\';
        var tail = fullRecovery ? BackupFileNaming.Combine(folder, BackupFileNaming.Sanitize(database) + "_tail_" + stamp + ".trn", separator) : null;
        var after = BackupFileNaming.Combine(folder, BackupFileNaming.Sanitize(database) + "_after_revert_" + stamp + ".bak", separator);
        return new RevertScript
        {
            SingleUser = FastRevertScripts.SetSingleUser(database),
            TailLogBackup = tail is null ? null : FastRevertScripts.BackupTailLog(database, [new BackupDevice(tail)]),
            TailLogFile = tail,
            DropOtherSnapshots = otherSnapshots.Select(FastRevertScripts.DropSnapshot).ToList(),
            Revert = FastRevertScripts.RevertToSnapshot(database, snapshot),
            MultiUser = SqlServerScripts.SetMultiUser(database),
            FullBackupAfter = SqlServerScripts.Backup(database, [new BackupDevice(after)], copyOnly: false, compress: false, 10, "OsRollback full after revert", initialize: true),
            FullBackupAfterFile = after,
        };
    }
}
