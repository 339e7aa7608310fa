namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// The users' outage of a plan: from the step that takes the applications away from users to the
/// step that gives them back, both included. Database: from the first of maintenance mode on,
/// firewall closed or services stopped, to the firewall opened again (maintenance mode off when a
/// plan has no firewall step); the parallel-database restore after it is off the outage. LifeTime,
/// Solution and Module: the publications (LifeTime deployment, solution publish, module waves),
/// the time the applications change under users; the checks and smoke test after them are not in it.
/// </summary>
public static class UsersOutageWindow
{
    /// <summary>The steps that take the applications away from users (maintenance mode, the firewall, stopping the servers).</summary>
    public static readonly IReadOnlySet<string> OfflineKinds = new HashSet<string>(StringComparer.Ordinal)
        { RollbackStepKind.MaintenanceOn, RollbackStepKind.FirewallOffline, RollbackStep.KindOf(typeof(StopServicesStep)) };

    /// <summary>The steps that change the applications under their users (LifeTime deployment, solution publish, module waves).</summary>
    public static readonly IReadOnlySet<string> RepublishKinds = new HashSet<string>(StringComparer.Ordinal)
        { RollbackStepKind.DeployVersions, RollbackStepKind.PublishSolution, RollbackStepKind.PublishModuleWave, RollbackStep.KindOf(typeof(PublishAllComponentsStep)) };

    /// <summary>The positions (0-based, in plan order) of the first and last step of the outage; null when the steps have none.</summary>
    public static (int First, int Last)? Of(RollbackStrategy strategy, IReadOnlyList<string> kinds)
    {
        int first, last;
        if (strategy == RollbackStrategy.Database)
        {
            first = IndexOf(kinds, OfflineKinds);
            last = LastIndexOf(kinds, FirewallOnline);
            if (last < 0) last = LastIndexOf(kinds, MaintenanceOff);
        }
        else
        {
            first = IndexOf(kinds, RepublishKinds);
            last = LastIndexOf(kinds, RepublishKinds);
        }
        return first >= 0 && last >= first ? (first, last) : null;
    }

    public static (int First, int Last)? Of(RollbackStrategy strategy, IEnumerable<RollbackStep> steps) => Of(strategy, steps.Select(s => s.Kind).ToList());

    private static readonly IReadOnlySet<string> FirewallOnline = new HashSet<string>(StringComparer.Ordinal) { RollbackStepKind.FirewallOnline };
    private static readonly IReadOnlySet<string> MaintenanceOff = new HashSet<string>(StringComparer.Ordinal) { RollbackStepKind.MaintenanceOff };

    private static int IndexOf(IReadOnlyList<string> kinds, IReadOnlySet<string> wanted)
    {
        for (var i = 0; i < kinds.Count; i++) if (wanted.Contains(kinds[i])) return i;
        return -1;
    }

    private static int LastIndexOf(IReadOnlyList<string> kinds, IReadOnlySet<string> wanted)
    {
        for (var i = kinds.Count - 1; i >= 0; i--) if (wanted.Contains(kinds[i])) return i;
        return -1;
    }
}
