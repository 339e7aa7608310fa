using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

/// <summary>
/// The marks come from the live database in the outage (maintenance on, firewall closed), just
/// before the restore: that is the highest any key got. They are kept in this step's journal
/// outcome, so -Resume after the restore still knows them.
/// </summary>
public sealed class CaptureIdentityHighWaterHandler : StepHandler<CaptureIdentityHighWaterStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Identity];

    protected override void CheckPreconditions(CaptureIdentityHighWaterStep step, StepContext c) => c.RequiredDatabase(step);

    protected override async Task<StepOutcome> RunAsync(CaptureIdentityHighWaterStep step, StepContext c, CancellationToken ct)
    {
        var marks = await c.Identity.ReadHighWaterAsync(c.RequiredDatabase(step), c.Reporter, ct).ConfigureAwait(false);
        return new IdentityHighWaterCaptured { Detail = $"high-water marks of {marks.Count} application tables read", Marks = marks };
    }
}

public sealed class ReseedIdentitiesHandler : StepHandler<ReseedIdentitiesStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Identity];

    protected override void CheckPreconditions(ReseedIdentitiesStep step, StepContext c) => c.RequiredDatabase(step);

    protected override async Task<StepOutcome> RunAsync(ReseedIdentitiesStep step, StepContext c, CancellationToken ct)
    {
        var captured = c.Journal.LastFinishedOutcome<IdentityHighWaterCaptured>() ?? throw new OsRollbackException("IdentityHighWaterMissing", OsErrorCategory.ObjectNotFound,
            "The journal holds no identity high-water marks of the pre-rollback database.", c.Plan.Id,
            "Read them from the pre-rollback backup (restored as a copy) and reseed by hand (DBCC CHECKIDENT / sqlite_sequence) before the applications come back.");
        var report = await c.Identity.ReseedAsync(c.RequiredDatabase(step), captured.Marks, c.Reporter, ct).ConfigureAwait(false);
        foreach (var warning in report.Warnings) c.Reporter.Warning(warning);
        return new IdentitiesReseeded
        {
            Detail = $"{report.Reseeded} identities raised above the pre-rollback values" + (report.Warnings.Count > 0 ? $"; {report.Warnings.Count} warnings" : ""),
            Reseeded = report.Reseeded,
            Warnings = report.Warnings,
        };
    }
}
