using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Data;
using OsRollback.Engine.RollForward;

namespace OsRollback.Cmdlets.RollForward;

/// <summary>
/// Invoke-OsDataRepair: a SQL repair script and the checks that return the rows still wrong.
/// -Rehearse runs it on a parallel copy and records the rehearsal; without it, the rehearsed
/// repair runs on the target after a verified safety backup, in one transaction that is rolled
/// back if any check returns a row. -OutputScriptOnly writes the reviewed script instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OsDataRepair", DefaultParameterSetName = SqliteSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DataRepairResult), typeof(string))]
public sealed class InvokeOsDataRepairCommand : OsDatabaseCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Script { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Check { get; set; } = "";

    [Parameter]
    public SwitchParameter Rehearse { get; set; }

    /// <summary>An existing copy on -SqlInstance to rehearse on (SQL Server).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ParallelDatabase { get; set; }

    /// <summary>An existing copy to rehearse on (SQLite).</summary>
    [Parameter(ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string? ParallelSqlitePath { get; set; }

    [Parameter]
    public SwitchParameter KeepParallelDatabase { get; set; }

    [Parameter]
    [RollbackPointTransformation]
    public RollbackPointReference? RollbackPoint { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter OutputScriptOnly { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SafetyBackupDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void EndProcessing()
    {
        var target = GetDatabaseTarget();
        var files = Run(_ => RepairFiles.Read(GetUnresolvedProviderPathFromPSPath(Script), GetUnresolvedProviderPathFromPSPath(Check)));
        // The analysis reads only: -WhatIf and -OutputScriptOnly refuse a bad script as the real run would.
        var analysis = Run(_ => DataRepairService.Analyze(target, files));
        if (OutputScriptOnly.IsPresent)
        {
            WriteObject(RepairScriptWriter.Write(target.Engine, analysis, files));
            return;
        }
        var parallel = ParallelTarget();
        if (parallel is not null && !Rehearse.IsPresent)
            ThrowInvalid("ParallelDatabaseWithoutRehearse", Engine.Diagnostics.OsErrorCategory.InvalidArgument, "-ParallelDatabase and -ParallelSqlitePath name the copy a rehearsal runs on.", parallel.DisplayName,
                "Add -Rehearse, or leave the parallel database out to repair the target.");
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        var options = new DataRepairOptions
        {
            CatalogHome = catalog.Home,
            ParallelDatabase = parallel,
            KeepParallelDatabase = KeepParallelDatabase.IsPresent,
            Force = Force.IsPresent,
            RollbackPoint = RollbackPoint is null ? null : Run(_ => RollbackPoint.Resolve(catalog)),
            SafetyBackupDirectory = SafetyBackupDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(SafetyBackupDirectory),
        };
        var what = $"{analysis.Statements.Count} statements writing {string.Join(", ", analysis.TablesWritten)}, then {analysis.Checks.Count} checks, in one transaction";
        if (Rehearse.IsPresent)
        {
            var on = parallel is null ? (KeepParallelDatabase.IsPresent ? "a fresh copy (kept)" : "a fresh copy (dropped afterwards)") : $"the parallel database {parallel.DisplayName} (rolled back afterwards)";
            if (!ShouldProcess(target.DisplayName, $"Rehearse the repair {files.ScriptPath} on {on}, never on the target: {what}")) return;
            WriteObject(Run(reporter => DataRepairService.Rehearse(target, files, options, reporter, StopToken)));
            return;
        }
        if (!ShouldProcess(target.DisplayName, $"Repair the data: a verified safety backup, then {what}; rolled back if any check returns a row{(Force.IsPresent ? " (-Force: even without a passing rehearsal)" : "")}"))
            return;
        WriteObject(Run(reporter => DataRepairService.Repair(target, files, options, reporter, StopToken)));
    }

    private DatabaseTarget? ParallelTarget()
    {
        if (ParallelSqlitePath is not null) return new SqliteTarget(GetUnresolvedProviderPathFromPSPath(ParallelSqlitePath));
        if (ParallelDatabase is not null) return TargetOn(null, ParallelDatabase, null);
        return null;
    }
}
