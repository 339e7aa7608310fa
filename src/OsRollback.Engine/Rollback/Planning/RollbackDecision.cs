using System.Globalization;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>One way back as the decision document shows it: possible or why not, and what it means for users.</summary>
public sealed record DecisionOption(RollbackStrategy Strategy, string Name, string Verdict, string Why, string Outage, string DataLost, string UsersSee, bool Chosen);

/// <summary>The data-loss window at one moment the rollback could start.</summary>
public sealed record DataLossAt(string When, DateTimeOffset StartsAt, string Window);

/// <summary>
/// The decision document of a plan, for a reader who is not a DBA (Export-OsRollbackPlan -Format
/// Html or Markdown): each of the four ways back with possible or why not, the users' expected
/// outage, the data lost and what users will see; the data-loss window and how it grows; what is
/// left behind; a sign-off for the chosen plan and its digest. Built from the plan alone: it
/// estimates nothing (the outage is the plan's own estimate, or "not estimated").
/// </summary>
public sealed class RollbackDecision
{
    /// <summary>Who signs: the customer's business owner decides, operations confirms the plan can run.</summary>
    public static readonly IReadOnlyList<string> SignOffRoles = ["Business owner (customer)", "Operations (DBA)"];

    public required RollbackPlan Plan { get; init; }
    public required string Proposal { get; init; }
    public required IReadOnlyList<DecisionOption> Options { get; init; }
    public required string DataLossSummary { get; init; }

    /// <summary>The window if the rollback starts at planning time and later (empty when the chosen way loses no data).</summary>
    public required IReadOnlyList<DataLossAt> DataLossGrowth { get; init; }
    public required IReadOnlyList<string> LeftBehind { get; init; }

    public string Title => $"Rollback decision: {Plan.Environment}";
    public string DigestText => string.IsNullOrEmpty(Plan.PlanDigest) ? "none (a format version 1 plan: export it again)" : $"sha256:{Plan.PlanDigest}";

    public static RollbackDecision Of(RollbackPlan plan) => new()
    {
        Plan = plan,
        Proposal = $"Roll {plan.Environment} back: {Name(plan.Strategy)}. " + (plan.Strategy == RollbackStrategy.Database
            ? "It is the last resort: the applications go offline and data entered since the deploy must be recovered afterwards."
            : "No data is lost."),
        Options = Enum.GetValues<RollbackStrategy>().Select(s => Option(plan, s)).ToList(),
        DataLossSummary = DataLossSummaryOf(plan),
        DataLossGrowth = plan.DataLoss && plan.DataLossFrom is { } from ? Growth(from, plan.DataLossTo ?? plan.CreatedAt) : [],
        LeftBehind = LeftBehindOf(plan),
    };

    public static string Name(RollbackStrategy strategy) => strategy switch
    {
        RollbackStrategy.LifeTime => "redeploy the previous versions with LifeTime",
        RollbackStrategy.Solution => "publish the solution package saved before the deploy",
        RollbackStrategy.Module => "republish the previous versions of the changed modules",
        _ => "restore the database from the backup taken before the deploy",
    };

    /// <summary>What users see while the strategy runs, in plain words.</summary>
    public static string UsersSee(RollbackStrategy strategy) => strategy switch
    {
        RollbackStrategy.LifeTime => "The applications stay online while LifeTime republishes their modules in the previous versions. Users with a screen open may see a brief error or be asked to reload; what they saved stays.",
        RollbackStrategy.Solution => "The applications stay online while the saved package is published. Users with a screen open may see a brief error or be asked to reload; what they saved stays.",
        RollbackStrategy.Module => "The applications stay online; only the changed modules and the modules that use them are republished, one wave after another. Users of those screens may see a brief error or be asked to reload.",
        _ => "The applications go offline: maintenance mode and the firewall keep users out (they see an unavailable page) until the restored applications are checked, then they open again. Data entered since the deploy is missing at first; it is recovered afterwards from a parallel database.",
    };

    private static DecisionOption Option(RollbackPlan plan, RollbackStrategy strategy)
    {
        var assessment = plan.Assessments.FirstOrDefault(a => a.Strategy == strategy);
        var verdict = assessment?.Verdict() ?? "not assessed";
        var why = assessment is null || verdict == "not assessed"
            ? "not assessed: a better way back was chosen first (New-OsRollbackPlan -AssessAllStrategies assesses every one)"
            : assessment.Reason;
        var outage = assessment?.ExpectedOutage is { } expected
            ? $"about {Duration(expected)}{(string.IsNullOrWhiteSpace(assessment.OutageBasis) ? "" : $" ({assessment.OutageBasis})")}"
            : "not estimated";
        var dataLost = strategy != RollbackStrategy.Database ? "none: the database is not touched"
            : plan.Strategy == RollbackStrategy.Database && plan.DataLossFrom is { } from
                ? $"everything written after {Time(from)}, recovered afterwards from a parallel database"
                : "everything written since the backup taken before the deploy, recovered afterwards from a parallel database";
        return new DecisionOption(strategy, Capitalized(Name(strategy)), verdict, why, outage, dataLost, UsersSee(strategy), assessment?.Chosen == true);
    }

    private static string DataLossSummaryOf(RollbackPlan plan)
    {
        if (plan.DataLoss && plan.DataLossFrom is { } from)
        {
            var at = plan.DataLossTo ?? plan.CreatedAt;
            return $"Everything written after {Time(from)} is removed from the live database: {RollbackPlanner.Describe(at - from)} of work at planning time ({Time(at)}). " +
                "The window grows by one hour for every hour the rollback waits. The data is recovered afterwards from a parallel database (the database as it was just before the restore).";
        }
        return $"None: the chosen way back ({Name(plan.Strategy)}) does not touch the database. Only a database restore would lose data: everything written since the backup taken before the deploy, a window that grows by one hour for every hour of waiting.";
    }

    private static List<DataLossAt> Growth(DateTimeOffset from, DateTimeOffset planned) =>
        new (string When, TimeSpan Later)[] { ("at planning time", TimeSpan.Zero), ("1 hour later", TimeSpan.FromHours(1)), ("4 hours later", TimeSpan.FromHours(4)), ("1 day later", TimeSpan.FromDays(1)) }
            .Select(w => new DataLossAt(w.When, planned + w.Later, RollbackPlanner.Describe(planned + w.Later - from))).ToList();

    private static List<string> LeftBehindOf(RollbackPlan plan)
    {
        var lines = new List<string>();
        if (plan.Strategy == RollbackStrategy.Database)
        {
            lines.Add("The live database goes back to its state before the deploy. The database as it was just before the restore is kept as a parallel database until the data entered since the deploy is recovered from it.");
        }
        else
        {
            lines.Add("Tables and columns that the rolled-back version added stay in the database, unused, with what users entered in them (OutSystems never drops them).");
            lines.Add(plan.DataCorruption
                ? "Data written by the bad version stays as it is and may be corrupt: its repair needs its own plan."
                : "Data written by the bad version stays as it is.");
        }
        lines.Add("Which tables and columns are left, with their rows, is listed in the report after the run (and by Get-OsSchemaDrift): the plan cannot know them beforehand.");
        return lines;
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1 ? RollbackPlanner.Describe(span) : $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
