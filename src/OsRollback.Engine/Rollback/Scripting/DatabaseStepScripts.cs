using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>BackupCurrent: the verified pre-rollback backup, as the database adapter takes it.</summary>
public sealed class BackupCurrentScript : StepScript<BackupCurrentStep>
{
    protected override IEnumerable<ScriptLine> Write(BackupCurrentStep step, SqlServerTarget database, StepScriptContext context)
    {
        var options = DatabaseServiceAdapter.BackupOptionsFor(PreRollbackFile(database, context, context.DatabaseOf(step)?.FileNameSuffix ?? ""));
        // ScriptBackup connects to nothing; its assumptions come out as comments.
        return ScriptLines.Of(new DatabaseBackupService().ScriptBackup(database, options));
    }

    /// <param name="suffix">The catalog's run-file suffix ("" for the platform database), as the run names the file.</param>
    internal static string PreRollbackFile(SqlServerTarget database, StepScriptContext context, string suffix = "") =>
        DatabaseServiceAdapter.BackupFilePath(database, context.DatabaseFolder, BackupCurrentHandler.PreRollbackFileName + suffix);
}

/// <summary>RestoreDatabase: the full restore of the rollback point's backup over the live database.</summary>
public sealed class RestoreDatabaseScript : StepScript<RestoreDatabaseStep>
{
    protected override IEnumerable<ScriptLine> Write(RestoreDatabaseStep step, SqlServerTarget database, StepScriptContext context)
    {
        var role = context.DatabaseOf(step)?.BackupRole ?? RollbackFileRoles.Backup;
        var backup = context.Point.FullPath(context.Point.Manifest.File(role)!.Path);
        yield return ScriptLine.Comment($"Safety backup: the pre-rollback backup of step BackupCurrent. The run keeps each file where {database.Database} has it now (sys.master_files), which this script assumes are the backup's own.");
        yield return ScriptLine.Statement(SqlServerScripts.Restore(database.Database, [new BackupDevice(backup, SqlServerBackupEngine.IsUrl(backup))], [], replace: true, new RestoreOptions().StatsPercent, setSingleUser: true));
        yield return ScriptLine.Statement(SqlServerScripts.SetMultiUser(database.Database));
    }
}

/// <summary>RevertToSnapshot: the statements of <see cref="RevertScript"/>, in the order the revert runs them.</summary>
public sealed class RevertToSnapshotScript : StepScript<RevertToSnapshotStep>
{
    protected override IEnumerable<ScriptLine> Write(RevertToSnapshotStep step, SqlServerTarget database, StepScriptContext context)
    {
        var info = context.Point.Manifest.FastRevert;
        var full = string.Equals(info?.RecoveryModel, "FULL", StringComparison.OrdinalIgnoreCase);
        var script = For(database, step, context, full);
        yield return ScriptLine.Comment($"Before the revert the run drops every other snapshot of {database.Database} that sys.databases lists then (SQL Server reverts a database only when it has one snapshot); none are listed here.");
        foreach (var sql in script.Statements) yield return ScriptLine.Statement(sql);
    }

    public static RevertScript For(SqlServerTarget database, RevertToSnapshotStep step, StepScriptContext context, bool fullRecovery) =>
        RevertScript.For(database.Database, step.SnapshotName, [], fullRecovery, context.DatabaseFolder, Stamp(context.Now));

    internal static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
}

/// <summary>RestoreToMark: the full backup WITH NORECOVERY, then the log backups msdb lists, STOPBEFOREMARK.</summary>
public sealed class RestoreToMarkScript : StepScript<RestoreToMarkStep>
{
    protected override IEnumerable<ScriptLine> Write(RestoreToMarkStep step, SqlServerTarget database, StepScriptContext context)
    {
        var backup = context.Point.FullPath(context.Point.Manifest.File(RollbackFileRoles.Backup)!.Path);
        var lsn = context.Point.Manifest.FastRevert?.FullBackupLastLsn;
        yield return ScriptLine.Statement(FastRevertScripts.RestoreFullNoRecovery(database.Database, [new BackupDevice(backup, SqlServerBackupEngine.IsUrl(backup))]));
        yield return ScriptLine.Comment($"Then each log backup msdb.dbo.backupset lists for {database.Database} after LSN {lsn?.ToString(CultureInfo.InvariantCulture) ?? "(not recorded)"}, in LSN order (the run refuses a gap):");
        yield return ScriptLine.Comment(FastRevertScripts.RestoreLogToMark(database.Database, [new BackupDevice("<log backup file>")], step.MarkName, recover: false) + " -- the last one WITH RECOVERY");
    }
}

/// <summary>Identity high-water marks: read from the live database before the restore.</summary>
public sealed class CaptureIdentityHighWaterScript : StepScript<CaptureIdentityHighWaterStep>
{
    protected override IEnumerable<ScriptLine> Write(CaptureIdentityHighWaterStep step, SqlServerTarget database, StepScriptContext context)
    {
        yield return ScriptLine.Comment($"Reads only: the identity columns of {database.Database}'s application tables, then MAX() of each; the run keeps the values in its journal.");
        yield return ScriptLine.Statement(SqlServerIdentities.IdentityColumns);
    }
}

/// <summary>Identity reseed: DBCC CHECKIDENT with the values captured before the restore.</summary>
public sealed class ReseedIdentitiesScript : StepScript<ReseedIdentitiesStep>
{
    protected override IEnumerable<ScriptLine> Write(ReseedIdentitiesStep step, SqlServerTarget database, StepScriptContext context)
    {
        yield return ScriptLine.Comment("For each application table whose identity is now below the value captured before the restore:");
        yield return ScriptLine.Comment(SqlServerIdentities.ReseedStatement("dbo", "<table>", 0).Replace(", 0)", ", <captured value>)", StringComparison.Ordinal));
    }
}

/// <summary>RestoreParallel: the pre-rollback backup restored under a new name, after the applications are open again.</summary>
public sealed class RestoreParallelScript : StepScript<RestoreParallelStep>
{
    protected override IEnumerable<ScriptLine> Write(RestoreParallelStep step, SqlServerTarget database, StepScriptContext context)
    {
        var source = BackupCurrentScript.PreRollbackFile(database, context);
        var name = DatabaseServiceAdapter.ParallelOf(database, source, RestoreParallelHandler.ParallelSuffix(context.Plan)).Options.DatabaseName;
        yield return ScriptLine.Comment($"Restores {source} as {name}, each file moved to a new name in the server's default data and log folders, read from its file list:");
        yield return ScriptLine.Statement(SqlServerScripts.FileListOnly([new BackupDevice(source)]));
    }
}
