using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// The backup history of every user database on an instance, as dbatools' Get-DbaDbBackupHistory
/// lists it when no database is named. An optional capability: only an engine with a server that
/// holds many databases and their history (SQL Server's msdb) has it; a SQLite file is one database.
/// </summary>
public interface IInstanceBackupHistory
{
    /// <summary>
    /// Full backups of each user database on the instance of <paramref name="instance"/> (its database
    /// is not used), newest first within each database, databases by name;
    /// <see cref="BackupHistoryQuery.Last"/> counts per database.
    /// </summary>
    IReadOnlyList<BackupResult> GetInstanceHistory(DatabaseTarget instance, BackupHistoryQuery query, CancellationToken ct = default);
}
