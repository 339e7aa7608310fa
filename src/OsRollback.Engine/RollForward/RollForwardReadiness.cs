using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.RollForward;

public sealed class RollForwardInputs
{
    public required RollbackPoint Point { get; init; }
    /// <summary>The environment's database now.</summary>
    public required DatabaseTarget Production { get; init; }
    /// <summary>After a Database run: the parallel database (the state at rollback).</summary>
    public DatabaseTarget? Parallel { get; init; }
    /// <summary>The rollback point's backup as a database (SQL Server: restored under another name); default: the point's SQLite backup.</summary>
    public DatabaseTarget? Base { get; init; }
    public IReadOnlyList<LifeTimeApplicationVersion> FixVersions { get; init; } = [];
    /// <summary>LifeTime's versions of an application (by key), to find the base's version key and creation date; null: not connected.</summary>
    public Func<string, CancellationToken, Task<IReadOnlyList<LifeTimeApplicationVersion>>>? VersionsOf { get; init; }
}

/// <summary>
/// Test-OsRollForward: the base a fix starts from (the versions deployed and rolled back, from the
/// point's newest rollback run), the schema they left behind with the rows holding data in it, the
/// rows changed since the point (three-way with the point's backup as base), and, for each fix
/// version, whether it is a sound roll-forward from that base. Reads only.
/// </summary>
public static class RollForwardReadiness
{
    public static async Task<RollForwardReport> AssessAsync(RollForwardInputs inputs, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var (run, plan) = NewestRun(inputs.Point);
        if (plan is null) warnings.Add($"No rollback run of {inputs.Point.Id} was found in its folder: the base (the versions deployed and rolled back) is unknown.");
        var bases = plan is null ? [] : await BasesAsync(plan, run, inputs.VersionsOf, warnings, cancellationToken).ConfigureAwait(false);
        var leftovers = LeftBehind(inputs.Point, inputs.Production, reporter);
        var (changes, note) = Changes(inputs, reporter, cancellationToken);
        return new RollForwardReport
        {
            RollbackPointId = inputs.Point.Id,
            Environment = inputs.Point.Manifest.Environment,
            Database = inputs.Production.DisplayName,
            Strategy = plan?.Strategy.ToString(),
            Base = bases,
            LeftBehind = leftovers,
            Changes = changes,
            ChangesNote = note,
            Fixes = inputs.FixVersions.Select(f => CheckFix(f, bases, leftovers)).ToList(),
            Warnings = warnings,
        };
    }

    /// <summary>The plan and report of the newest run of the point (runs/&lt;plan&gt;/plan.json, report.json).</summary>
    private static (JObject? Report, RollbackPlan? Plan) NewestRun(RollbackPoint point)
    {
        var runs = Path.Combine(point.Path, "runs");
        if (!Directory.Exists(runs)) return (null, null);
        var newest = Directory.EnumerateDirectories(runs)
            .Select(d => (Folder: d, Plan: Path.Combine(d, "plan.json"), Report: Path.Combine(d, "report.json")))
            .Where(r => File.Exists(r.Plan))
            .OrderByDescending(r => File.GetLastWriteTimeUtc(File.Exists(r.Report) ? r.Report : r.Plan))
            .FirstOrDefault();
        if (newest.Folder is null) return (null, null);
        var plan = RollbackJson.Deserialize<RollbackPlan>(File.ReadAllText(newest.Plan), newest.Plan, "RollbackPlanInvalid", "rollback plan");
        var report = File.Exists(newest.Report) ? JObject.Parse(File.ReadAllText(newest.Report)) : null;
        return (report, plan);
    }

    private static async Task<List<RollForwardBase>> BasesAsync(RollbackPlan plan, JObject? run, Func<string, CancellationToken, Task<IReadOnlyList<LifeTimeApplicationVersion>>>? versionsOf,
        List<string> warnings, CancellationToken cancellationToken)
    {
        var finished = run?["finishedAt"]?.ToObject<DateTimeOffset?>();
        if (run?.Value<string>("status") is { } status && !string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase))
            warnings.Add($"The newest rollback run of this point ended {status}: the environment may still run the bad versions.");
        var result = new List<RollForwardBase>();
        foreach (var change in plan.Changes)
        {
            LifeTimeApplicationVersion? known = null;
            if (versionsOf is not null && change.Key.Length > 0)
            {
                var versions = await versionsOf(change.Key, cancellationToken).ConfigureAwait(false);
                known = versions.FirstOrDefault(v => string.Equals(v.Version, change.RunningVersion, StringComparison.OrdinalIgnoreCase));
            }
            result.Add(new RollForwardBase
            {
                Application = change.Name, ApplicationKey = change.Key, Version = change.RunningVersion, VersionKey = known?.Key, CreatedOn = known?.CreatedOn,
                RolledBackTo = change.RollbackVersion, Strategy = plan.Strategy.ToString(), RolledBackAt = finished,
            });
        }
        if (versionsOf is null && result.Count > 0) warnings.Add("No LifeTime connection: the version keys and creation dates of the base are unknown (Connect-OsLifeTime).");
        return result;
    }

    private static List<RollForwardLeftover> LeftBehind(RollbackPoint point, DatabaseTarget production, IOperationReporter reporter)
    {
        var snapshot = SchemaSnapshotFile.Read(SchemaSnapshotFile.ResolveRollbackPointPath(point.Path));
        return SchemaDriftAnalyzer.LeftBehind(snapshot, production, reporter)
            .Select(i => new RollForwardLeftover { Table = i.Table, Column = i.Column, Entity = i.Entity, Attribute = i.Attribute, Module = i.Module, RowsWithData = i.RowsWithData })
            .ToList();
    }

    /// <summary>Rows against the point's backup: production now, and the parallel database (state at rollback) when given.</summary>
    private static (List<RollForwardTableChange> Changes, string? Note) Changes(RollForwardInputs inputs, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        DatabaseTarget baseTarget;
        try
        {
            baseTarget = inputs.Base ?? DeltaBaseSource.FromRollbackPoint(inputs.Point);
        }
        catch (OsRollbackException ex)
        {
            return ([], $"Rows changed since the rollback point are unknown ({ex.ErrorId}): {ex.Message}");
        }
        var changes = new List<RollForwardTableChange>();
        if (inputs.Parallel is { } parallel) changes.AddRange(Compare(baseTarget, parallel, "BeforeRollback", reporter, cancellationToken));
        changes.AddRange(Compare(baseTarget, inputs.Production, inputs.Parallel is null ? "SinceRollbackPoint" : "SinceReopening", reporter, cancellationToken));
        return (changes, null);
    }

    private static IEnumerable<RollForwardTableChange> Compare(DatabaseTarget baseTarget, DatabaseTarget other, string period, IOperationReporter reporter, CancellationToken cancellationToken) =>
        new DataComparer(baseTarget, other, new DataCompareOptions(), reporter).Compare(null, cancellationToken)
            .Where(t => t.HasDifferences || t.Status is TableCompareStatus.OnlyInReference)
            .Select(t => new RollForwardTableChange
            {
                Period = period, Table = t.Table, Entity = t.Entity, Inserted = t.Inserted, Changed = t.Changed, Deleted = t.Deleted,
                Note = t.Status == TableCompareStatus.Compared ? null : t.Status.ToString(),
            }).ToList();

    private static RollForwardFixCheck CheckFix(LifeTimeApplicationVersion fix, IReadOnlyList<RollForwardBase> bases, IReadOnlyList<RollForwardLeftover> leftovers)
    {
        var name = fix.ApplicationName ?? fix.ApplicationKey;
        var baseVersion = bases.FirstOrDefault(b => string.Equals(b.ApplicationKey, fix.ApplicationKey, StringComparison.OrdinalIgnoreCase) && fix.ApplicationKey.Length > 0)
            ?? bases.FirstOrDefault(b => string.Equals(b.Application, fix.ApplicationName, StringComparison.OrdinalIgnoreCase));
        if (baseVersion is null)
            return new RollForwardFixCheck { Application = name, Version = fix.Version, VersionKey = fix.Key, Reason = "This application was not rolled back by the point's newest run." };
        var newer = Version.TryParse(fix.Version, out var f) && Version.TryParse(baseVersion.Version, out var b) ? f > b : (bool?)null;
        bool? after = fix.CreatedOn is { } fc && baseVersion.CreatedOn is { } bc ? fc > bc : null;
        var reasons = new List<string>();
        if (newer is null) reasons.Add($"'{fix.Version}' and '{baseVersion.Version}' are not comparable version numbers");
        else if (newer == false) reasons.Add($"{fix.Version} is not newer than the rolled-back {baseVersion.Version}");
        if (after is null) reasons.Add("a creation date is unknown");
        else if (after == false) reasons.Add($"{fix.Version} was created before the rolled-back {baseVersion.Version}: it may not start from it");
        var defines = leftovers.Count == 0 ? "NothingLeft" : "Unknown";
        if (leftovers.Count > 0)
            reasons.Add("LifeTime does not list the entities of a version: open the fix in Service Studio, or publish it to a test environment restored from production and run Get-OsSchemaDrift there");
        return new RollForwardFixCheck
        {
            Application = name, Version = fix.Version, VersionKey = fix.Key, BaseVersion = baseVersion.Version,
            IsNewer = newer, CreatedAfter = after, DefinesLeftovers = defines, Reason = string.Join("; ", reasons),
        };
    }
}
