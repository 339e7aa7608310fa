using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Unlock-OsEnvironment: releases the rollback lock left by a run whose process is gone, after
/// checking that it is gone; a lock held by a running rollback is refused (EnvironmentLockHeld).
/// </summary>
[Cmdlet(VerbsCommon.Unlock, "OsEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DatabaseSet)]
[OutputType(typeof(LockHolder))]
public sealed class UnlockOsEnvironmentCommand : OsCmdlet
{
    private const string DatabaseSet = "Database";
    private const string CatalogSet = "Catalog";

    /// <summary>The environment's SQLite platform database: its lock (beside the file's real path) is released.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DatabaseSet)]
    [ValidateNotNullOrEmpty]
    public string SqlitePath { get; set; } = "";

    /// <summary>The environment whose catalog lock is released.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CatalogSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string Environment { get; set; } = "";

    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter(ParameterSetName = CatalogSet)]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Hours after which a lock taken on another host counts as abandoned (default 24, as Invoke-OsRollback).</summary>
    [Parameter]
    [ValidateRange(1, 8760)]
    public int StaleAfterHours { get; set; } = 24;

    protected override void ProcessRecord()
    {
        string lockPath;
        string? database = null;
        if (ParameterSetName == DatabaseSet)
        {
            var target = new SqliteTarget(GetUnresolvedProviderPathFromPSPath(SqlitePath));
            lockPath = EnvironmentDatabaseLock.SqliteLockPath(target);
            database = lockPath[..^EnvironmentDatabaseLock.SqliteSuffix.Length];
        }
        else
        {
            lockPath = EnvironmentLock.CatalogLockPath(RollbackInputs.Catalog(this, CatalogPath).LocksDirectory, Environment);
        }
        var holder = EnvironmentLock.Read(lockPath);
        if (!File.Exists(lockPath) && database is null)
        {
            WriteVerbose($"There is no lock '{lockPath}': nothing to release.");
            return;
        }
        if (!ShouldProcess(lockPath, $"Release the rollback lock{(holder is null ? "" : $" held by {holder}")}, after checking that its holder is gone")) return;
        var released = Run(_ => EnvironmentLockRelease.Release(lockPath, database, TimeSpan.FromHours(StaleAfterHours), TimeProvider.System));
        if (released is null) WriteVerbose($"There is no lock '{lockPath}': nothing to release.");
        else WriteObject(released);
    }
}
