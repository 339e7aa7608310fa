using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution.Steps;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>A rollback-point file a plan uses, with the content hash the approver approved.</summary>
public sealed record ApprovedFile(string Role, string Path, string Sha256);

/// <summary>
/// Binds a plan to the content of the rollback-point files it uses: the planner records each file's
/// SHA-256 in the plan (inside its digest), the run refuses a plan whose files are not the manifest's,
/// and each file is checked against that hash where it is used (the backup while it is restored, the
/// solution package before it is published). The module graph and the schema snapshot are not read by
/// a run (the steps carry the modules), so their content cannot change what runs.
/// </summary>
public static class ApprovedContent
{
    /// <summary>The files of <paramref name="point"/> that <paramref name="plan"/> uses, with their recorded hashes.</summary>
    public static List<ApprovedFile> Of(RollbackPlan plan, RollbackPoint point) =>
        VerifyRollbackPointHandler.RolesOf(plan, point).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(point.Manifest.File).OfType<RollbackFileInfo>()
            .Select(f => new ApprovedFile(f.Role, f.Path, f.Sha256)).ToList();

    /// <summary>The approved SHA-256 of <paramref name="file"/>: the plan's record, else (plans made before it was recorded) the manifest's, which the plan pins.</summary>
    public static string Sha256Of(RollbackPlan plan, RollbackFileInfo file) =>
        plan.RollbackPointFiles?.FirstOrDefault(f => string.Equals(f.Role, file.Role, StringComparison.OrdinalIgnoreCase))?.Sha256 is { Length: > 0 } approved
            ? approved : file.Sha256;

    /// <summary>Refuses (RollbackPointChanged) a plan whose approved files are not the ones the rollback point records.</summary>
    public static void EnsureMatches(RollbackPlan plan, RollbackPoint point)
    {
        if (plan.RollbackPointFiles is null) return;
        foreach (var approved in plan.RollbackPointFiles)
        {
            var file = point.Manifest.File(approved.Role);
            if (file is not null && string.Equals(file.Path, approved.Path, StringComparison.Ordinal) && string.Equals(file.Sha256, approved.Sha256, StringComparison.OrdinalIgnoreCase))
                continue;
            throw new OsRollbackException("RollbackPointChanged", OsErrorCategory.SecurityError,
                $"The rollback point '{point.Id}' no longer holds the {approved.Role} file the plan {plan.Id} was approved with ({approved.Path}, SHA-256 {approved.Sha256}).", plan.Id,
                "Make a new plan with New-OsRollbackPlan from the rollback point as it is now, and have it approved again.");
        }
        var missing = Of(plan, point).Where(f => !plan.RollbackPointFiles.Any(a => string.Equals(a.Role, f.Role, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0)
        {
            throw new OsRollbackException("RollbackPointChanged", OsErrorCategory.SecurityError,
                $"The plan {plan.Id} uses rollback-point files it was not approved with: {string.Join(", ", missing.Select(m => m.Role))}.", plan.Id,
                "Make a new plan with New-OsRollbackPlan and have it approved again.");
        }
    }
}
