using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>Process instances of one process definition that have not ended (Active or Suspended).</summary>
public sealed record ProcessInFlight(string Module, string Process, int Instances);

/// <summary>What the platform database says of process instances in flight; <see cref="Unknown"/> says why nothing could be read.</summary>
public sealed record ProcessInFlightReading(IReadOnlyList<ProcessInFlight> Processes, string? Unknown = null);

/// <summary>
/// Reads the business process (BPT) instances that have not ended, per process definition and
/// module, from the platform database. The only SQL that reads the BPT metamodel (docs/platform.md,
/// "Business processes"): OSSYS_BPM_PROCESS (PROCESS_DEF_ID, STATUS_ID) and OSSYS_BPM_PROCESS_STATUS
/// (ID, NAME: Active, Closed, Suspended, Terminated) are documented; the ESPACE_ID and NAME columns
/// of OSSYS_BPM_PROCESS_DEFINITION are not. Never fails: a database without these tables or columns
/// gives an unknown answer with the reason.
/// </summary>
public static class ProcessInstancesInFlight
{
    public const string SelectActiveSql = "SELECT e.NAME, d.NAME, COUNT(p.ID) FROM OSSYS_BPM_PROCESS p "
        + "INNER JOIN OSSYS_BPM_PROCESS_STATUS s ON s.ID = p.STATUS_ID "
        + "INNER JOIN OSSYS_BPM_PROCESS_DEFINITION d ON d.ID = p.PROCESS_DEF_ID "
        + "INNER JOIN OSSYS_ESPACE e ON e.ID = d.ESPACE_ID "
        + "WHERE s.NAME IN ('Active', 'Suspended') "
        + "GROUP BY e.NAME, d.NAME ORDER BY e.NAME, d.NAME";

    public static ProcessInFlightReading Read(DatabaseTarget target)
    {
        try
        {
            // Read-only: a plan never creates or changes the database it reads.
            using var connection = target is SqliteTarget sqlite ? sqlite.OpenConnection(SqliteOpenMode.ReadOnly) : target.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = SelectActiveSql;
            using var reader = command.ExecuteReader();
            var processes = new List<ProcessInFlight>();
            while (reader.Read())
                processes.Add(new ProcessInFlight(reader.GetValue(0).ToString()!, reader.GetValue(1).ToString()!, Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
            return new ProcessInFlightReading(processes);
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
