using System.Management.Automation;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Test-OsRollbackPoint: files present, checksums match, backup verifies.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OsRollbackPoint", DefaultParameterSetName = "Default")]
[OutputType(typeof(RollbackPointTestResult))]
public sealed class TestOsRollbackPointCommand : RollbackDatabaseCmdlet
{
    /// <summary>The rollback point: an object from Get-OsRollbackPoint, an Id or a folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Id", "Path")]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    [RollbackPointTransformation]
    public RollbackPointReference RollbackPoint { get; set; } = null!;

    /// <summary>Check files and checksums only; do not verify the backup with the database engine.</summary>
    [Parameter]
    public SwitchParameter NoBackupVerify { get; set; }

    protected override void ProcessRecord()
    {
        RollbackPoint point;
        try
        {
            point = RollbackPoint.Resolve(Catalog);
        }
        catch (OsRollbackException ex)
        {
            WriteOsError(ex);
            return;
        }
        if (NoBackupVerify)
        {
            WriteObject(RunAsync((r, cancel) => RollbackPointVerifier.TestAsync(point, null, null, r, cancel)));
            return;
        }
        var target = DatabaseOrNull ?? point.Manifest.Database.ToTarget();
        using var ports = Run(_ => Services.CreatePorts(new RollbackPortRequest { Database = target, NeedsDatabase = true }));
        WriteObject(RunAsync((reporter, ct) => RollbackPointVerifier.TestAsync(point, ports.Database, target, reporter, ct)));
    }
}
