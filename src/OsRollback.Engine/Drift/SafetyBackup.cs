using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The verified backup taken before Import-OsDataDelta writes. SQLite is handled here
/// (<see cref="SqliteSafetyBackup"/>); the SQL Server backup belongs to Backup-OsDatabase
/// (OsRollback.Engine.Database) and is wired in once that lands: until then a SQL Server
/// import needs an existing backup passed as SafetyBackupPath.
/// </summary>
public interface ISafetyBackup
{
    /// <summary>Backs up the target into <paramref name="directory"/>, verifies the copy, returns its path.</summary>
    string Take(DatabaseTarget target, string directory, IOperationReporter reporter);

    /// <summary>Checks that an existing backup is usable; throws an <see cref="OsRollbackException"/> when it is not.</summary>
    void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter);
}

/// <summary>SQLite: online backup API into a new file, then PRAGMA integrity_check on the copy.</summary>
public sealed class SqliteSafetyBackup : ISafetyBackup
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string Take(DatabaseTarget target, string directory, IOperationReporter reporter)
    {
        if (target is not SqliteTarget sqlite)
            throw new OsRollbackException("SafetyBackupRequired", OsErrorCategory.InvalidOperation,
                $"OsRollback cannot yet take the safety backup of the SQL Server database {target.DisplayName} itself.", target.DisplayName,
                "Back it up with Backup-OsDatabase (or your usual verified backup), then pass the backup file with -SafetyBackupPath.");
        Directory.CreateDirectory(directory);
        var name = Path.GetFileNameWithoutExtension(sqlite.Path);
        var path = Path.Combine(directory, $"{name}.before-import-{Time.GetUtcNow():yyyyMMdd-HHmmss-fff}.db");
        reporter.Verbose($"Taking the safety backup of {sqlite.Path} to {path}.");
        using (var source = (SqliteConnection)sqlite.OpenConnection(SqliteOpenMode.ReadOnly))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString))
        {
            destination.Open();
            source.BackupDatabase(destination);
        }
        Verify(target, path, reporter);
        return path;
    }

    public void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter)
    {
        var full = Path.GetFullPath(backupPath);
        if (!File.Exists(full))
            throw new OsRollbackException("SafetyBackupNotFound", OsErrorCategory.ObjectNotFound,
                $"The safety backup '{full}' does not exist.", full, "Give the path of an existing, verified backup with -SafetyBackupPath, or leave it out to take one.");
        if (target.Engine != DatabaseEngineKind.Sqlite)
        {
            reporter.Verbose($"Using the SQL Server backup {full} as the safety backup (verified by the tool that took it).");
            return;
        }
        string result;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            result = Convert.ToString(command.ExecuteScalar()) ?? "";
        }
        catch (SqliteException ex)
        {
            result = ex.Message;
        }
        if (!string.Equals(result, "ok", StringComparison.OrdinalIgnoreCase))
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidData,
                $"The safety backup '{full}' failed its integrity check: {result}", full,
                "Nothing was imported. Take a new backup and try again.");
        reporter.Verbose($"Safety backup {full} passed PRAGMA integrity_check.");
    }
}
