using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// A SQL Server scratch copy: a copy-only, verified backup of the target restored under a new name
/// beside it, dropped afterwards unless kept.
/// </summary>
/// <param name="backup">Takes the verified copy-only backup (the provider's BackupAndVerify).</param>
/// <param name="restoreAs">Restores it under the given name (the provider's Restore, never over the target).</param>
/// <param name="drop">Drops the named database on the target's server, only when it exists.</param>
internal sealed class SqlServerScratchCopies(
    TimeProvider? time,
    Func<SqlServerTarget, IOperationReporter, CancellationToken, BackupResult> backup,
    Action<SqlServerTarget, BackupResult, string, IOperationReporter, CancellationToken> restoreAs,
    Action<SqlServerTarget, string> drop) : IScratchCopies
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The name of the copy: the database's name, "_rehearsal_" and the time.</summary>
    public string CopyName(SqlServerTarget target) => $"{target.Database}_rehearsal_{_time.GetUtcNow():yyyyMMddHHmmss}";

    public ParallelCopy Create(DatabaseTarget database, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var target = SqlServerProvider.Sql(database);
        var name = CopyName(target);
        var copy = backup(target, reporter, cancellationToken);
        if (!copy.Verified || copy.FilePath.Length == 0)
            throw new OsRollbackException("RehearsalCopyFailed", OsErrorCategory.InvalidResult, $"The copy-only backup of {target.DisplayName} for the rehearsal did not verify.", target.DisplayName,
                "Check the server's backup folder, or restore a copy yourself and give it with -ParallelDatabase.");
        reporter.Verbose($"Restoring the copy-only backup of {target.DisplayName} as {name} for the rehearsal.");
        try
        {
            restoreAs(target, copy, name, reporter, cancellationToken);
        }
        catch
        {
            drop(target, name);
            throw;
        }
        return new ParallelCopy(target.WithDatabase(name), true, () => drop(target, name));
    }

    public void Drop(DatabaseTarget scratch)
    {
        var target = SqlServerProvider.Sql(scratch);
        drop(target, target.Database);
    }
}
