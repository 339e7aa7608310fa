using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.RollForward;

/// <summary>A parallel copy of the target for a rehearsal; disposing it drops it unless it is kept.</summary>
public sealed class ParallelCopy(DatabaseTarget target, bool fresh, Action drop) : IDisposable
{
    private bool _dropped;

    public DatabaseTarget Target { get; } = target;
    /// <summary>True for a copy made for this rehearsal; false for an existing parallel database (never dropped).</summary>
    public bool Fresh { get; } = fresh;
    public bool Keep { get; set; }

    public void Dispose()
    {
        if (_dropped || Keep || !Fresh) return;
        _dropped = true;
        drop();
    }

    public static ParallelCopy Existing(DatabaseTarget target) => new(target, false, () => { });
}

/// <summary>Makes a fresh parallel copy of a database.</summary>
public interface IParallelCopies
{
    ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken);
}

/// <summary>SQLite through the online backup API into a scratch file; SQL Server by <see cref="SqlServerParallelCopies"/>.</summary>
public sealed class ParallelCopies(TimeProvider? time = null, SqlServerParallelCopies? sqlServer = null) : IParallelCopies
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (target is SqlServerTarget sql) return (sqlServer ?? new SqlServerParallelCopies(_time)).Create(sql, reporter, cancellationToken);
        var lite = (SqliteTarget)target;
        Directory.CreateDirectory(scratchFolder);
        var path = Path.Combine(scratchFolder, $"{Path.GetFileNameWithoutExtension(lite.Path)}.rehearsal-{_time.GetUtcNow():yyyyMMdd-HHmmss-fff}.db");
        reporter.Verbose($"Copying {lite.Path} to {path} with the SQLite backup API for the rehearsal.");
        using (var source = (SqliteConnection)lite.OpenConnection(SqliteOpenMode.ReadOnly))
        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            copy.Open();
            source.BackupDatabase(copy);
        }
        return new ParallelCopy(new SqliteTarget(path), true, () => File.Delete(path));
    }
}

/// <summary>
/// SQL Server: a copy-only, verified backup of the target restored under a new name beside it
/// (through the database layer's backup service), dropped afterwards unless kept.
/// </summary>
public sealed class SqlServerParallelCopies
{
    private readonly TimeProvider _time;
    private readonly Func<SqlServerTarget, IOperationReporter, CancellationToken, BackupResult> _backup;
    private readonly Action<SqlServerTarget, BackupResult, string, IOperationReporter, CancellationToken> _restoreAs;
    private readonly Action<SqlServerTarget, string> _drop;

    public SqlServerParallelCopies(TimeProvider? time = null, DatabaseBackupService? service = null,
        Func<SqlServerTarget, IOperationReporter, CancellationToken, BackupResult>? backup = null,
        Action<SqlServerTarget, BackupResult, string, IOperationReporter, CancellationToken>? restoreAs = null,
        Action<SqlServerTarget, string>? drop = null)
    {
        _time = time ?? TimeProvider.System;
        var backups = service ?? new DatabaseBackupService(_time);
        _backup = backup ?? ((t, r, c) => backups.BackupAndVerify(t, new BackupOptions { CopyOnly = true, Verify = true }, r, c).Backup);
        _restoreAs = restoreAs ?? ((t, b, name, r, c) => backups.Restore(t, new RestoreOptions { FilePath = b.FilePath, DatabaseName = name, AllowOtherDatabase = true }, r, c));
        _drop = drop ?? ((t, name) => { using var session = SqlClientSession.Open(t, "master"); session.ExecuteNonQuery(DropScript(name)); });
    }

    /// <summary>The name of the copy: the database's name, "_rehearsal_" and the time.</summary>
    public string CopyName(SqlServerTarget target) => $"{target.Database}_rehearsal_{_time.GetUtcNow():yyyyMMddHHmmss}";

    /// <summary>Drops the copy, and only a database that exists (the database layer's scratch drop).</summary>
    public static string DropScript(string copyName) => SqlServerScripts.DropScratch(copyName);

    public ParallelCopy Create(SqlServerTarget target, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var name = CopyName(target);
        var backup = _backup(target, reporter, cancellationToken);
        if (!backup.Verified || backup.FilePath.Length == 0)
            throw new OsRollbackException("RehearsalCopyFailed", OsErrorCategory.InvalidResult, $"The copy-only backup of {target.DisplayName} for the rehearsal did not verify.", target.DisplayName,
                "Check the server's backup folder, or restore a copy yourself and give it with -ParallelDatabase.");
        reporter.Verbose($"Restoring the copy-only backup of {target.DisplayName} as {name} for the rehearsal.");
        try
        {
            _restoreAs(target, backup, name, reporter, cancellationToken);
        }
        catch
        {
            _drop(target, name);
            throw;
        }
        return new ParallelCopy(target.WithDatabase(name), true, () => _drop(target, name));
    }
}
