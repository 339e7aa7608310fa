using System.Data.Common;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>What the platform database says of process instances in flight; <see cref="Unknown"/> says why nothing could be read.</summary>
public sealed record ProcessInFlightReading(IReadOnlyList<ProcessInFlight> Processes, string? Unknown = null);

/// <summary>
/// Reads the business process (BPT) instances that have not ended, per process definition and
/// module, from the platform database (the provider's <see cref="IPlatformTables"/>; its SQL is
/// <see cref="ProcessInstanceSql.SelectInFlight"/>). Never fails: a database without these
/// tables or columns gives an unknown answer with the reason.
/// </summary>
public static class ProcessInstancesInFlight
{
    public static ProcessInFlightReading Read(DatabaseTarget target)
    {
        try
        {
            // Read-only: a plan never creates or changes the database it reads.
            return new ProcessInFlightReading(DatabaseProviders.Default.For(target).Operations.Tables.ReadProcessesInFlight(target));
        }
        catch (Exception ex) when (ex is DbException or OsRollbackException)
        {
            // Tables absent (older databases), columns named otherwise, or the server unreachable: the plan says so and goes on.
            return new ProcessInFlightReading([], $"the business process tables of {target.DisplayName} could not be read ({ex.Message.Trim()})");
        }
    }

    /// <summary>The plan's warnings for the processes of <paramref name="modules"/> (the modules the rollback changes back).</summary>
    public static IEnumerable<string> Warnings(ProcessInFlightReading reading, IReadOnlyCollection<string> modules)
    {
        if (reading.Unknown is { } why)
        {
            yield return $"Business process instances in flight: unknown, because {why}. Check Service Center (Monitoring > Processes) before the rollback.";
            yield break;
        }
        foreach (var process in reading.Processes.Where(p => p.Instances > 0 && modules.Contains(p.Module, StringComparer.OrdinalIgnoreCase)))
            yield return $"Business process '{process.Process}' of module {process.Module} has {process.Instances} instance(s) in flight (Active or Suspended); the rollback changes its process definition under them: check them in Service Center (Monitoring > Processes) before and after the rollback.";
    }
}
