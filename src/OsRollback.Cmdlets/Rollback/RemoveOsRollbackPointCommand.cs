using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Remove-OsRollbackPoint: deletes rollback points, by name or by retention rule.</summary>
[Cmdlet(VerbsCommon.Remove, "OsRollbackPoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "RollbackPoint")]
public sealed class RemoveOsRollbackPointCommand : OsCmdlet
{
    /// <summary>The rollback point(s) to delete: objects from Get-OsRollbackPoint, Ids or folders.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "RollbackPoint")]
    [Alias("Id", "Path")]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    [RollbackPointTransformation]
    public RollbackPointReference[] RollbackPoint { get; set; } = [];

    /// <summary>Retention: keep this many newest rollback points per environment, delete the others.</summary>
    [Parameter(ParameterSetName = "Retention")]
    [ValidateRange(1, 100000)]
    public int? KeepLast { get; set; }

    /// <summary>Retention: delete rollback points older than this.</summary>
    [Parameter(ParameterSetName = "Retention")]
    public TimeSpan? OlderThan { get; set; }

    /// <summary>Retention only within this environment.</summary>
    [Parameter(ParameterSetName = "Retention")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Delete even when a rollback run from the point is unfinished.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void ProcessRecord()
    {
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        IEnumerable<RollbackPoint> points;
        if (ParameterSetName == "Retention")
        {
            if (KeepLast is null && OlderThan is null)
                ThrowInvalid("RetentionRuleMissing", Engine.Diagnostics.OsErrorCategory.InvalidArgument, "No retention rule was given.", null, "Give -KeepLast, -OlderThan, or both.");
            if (OlderThan is { } age && age <= TimeSpan.Zero)
                ThrowInvalid("InvalidRetentionAge", Engine.Diagnostics.OsErrorCategory.InvalidArgument, $"-OlderThan must be a positive age; {age} would select every rollback point.", age, "Give an age such as (New-TimeSpan -Days 30).");
            points = Run(r => RollbackCatalog.SelectForRetention(catalog.List(Environment, r), KeepLast, OlderThan, DateTimeOffset.UtcNow));
        }
        else
        {
            var list = new List<RollbackPoint>();
            foreach (var item in RollbackPoint)
            {
                try { list.Add(item.Resolve(catalog)); }
                catch (Engine.Diagnostics.OsRollbackException ex) { WriteOsError(ex); }
            }
            points = list;
        }
        foreach (var point in points)
        {
            if (!ShouldProcess(point.Path, $"Delete the rollback point {point.Id} of {point.Environment} ({point.CreatedAt:u})")) continue;
            try
            {
                RollbackCatalog.Remove(point, Force.IsPresent, Reporter);
                DropSnapshot(point);
            }
            catch (Engine.Diagnostics.OsRollbackException ex) { WriteOsError(ex); }
        }

    }

    /// <summary>Retention: the point's SQL Server snapshot goes with it (its sparse files grow until dropped).</summary>
    private void DropSnapshot(RollbackPoint point)
    {
        if (point.Manifest.FastRevert is not { SnapshotName: { } snapshot } info || point.Manifest.Database.ToTarget() is not { } target) return;
        try
        {
            Work.Wait(async (_, cancel) => { await new Engine.Rollback.Adapters.FastRevertAdapter().DropAsync(target, info, cancel).ConfigureAwait(false); return true; });
            Reporter.Verbose($"Dropped the snapshot {snapshot} of {target.DisplayName}.");
        }
        catch (Engine.Diagnostics.OsRollbackException ex)
        {
            Reporter.Warning($"Could not drop the snapshot {snapshot} of {target.DisplayName} ({ex.ErrorId}: {ex.Message}); drop it by hand: DROP DATABASE [{snapshot}];");
        }
    }
}
