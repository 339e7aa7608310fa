using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Tests.Rollback;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Model;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>Business process instances in flight, read from the platform database and named in the plan before anything runs.</summary>
public class ProcessInstancesInFlightTests
{
    [Fact]
    public void The_process_query_is_valid_T_SQL() => TSql.AssertParses(ProcessInstanceSql.SelectInFlight);

    [Fact]
    public void The_sandbox_platform_database_counts_Active_and_Suspended_instances_per_process_of_Orders()
    {
        using var temp = new TempDirectory();
        var target = SandboxProduction(temp);

        var reading = ProcessInstancesInFlight.Read(target);

        Assert.Null(reading.Unknown);
        Assert.Equal(
            new[] { new ProcessInFlight("Orders_BL", "OrderApproval", 2), new ProcessInFlight("Orders_BL", "OrderFulfilment", 4) },
            reading.Processes);                                   // Closed and Terminated are not in flight; OrderArchive has none
    }

    [Fact]
    public void A_database_without_the_process_tables_gives_unknown_with_the_reason_and_never_fails()
    {
        using var temp = new TempDirectory();
        var path = temp.File("old.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL)";
            command.ExecuteNonQuery();
        }

        var reading = ProcessInstancesInFlight.Read(new SqliteTarget(path));

        Assert.Empty(reading.Processes);
        Assert.Contains("OSSYS_BPM_PROCESS", reading.Unknown);
        var warning = Assert.Single(ProcessInstancesInFlight.Warnings(reading, ["Orders_BL"]));
        Assert.Contains("unknown", warning);
    }

    [Fact]
    public void A_platform_database_that_cannot_be_opened_gives_unknown_and_no_file_is_created()
    {
        using var temp = new TempDirectory();
        var path = temp.File("gone.db");

        var reading = ProcessInstancesInFlight.Read(new SqliteTarget(path));

        Assert.NotNull(reading.Unknown);
        Assert.Empty(reading.Processes);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task The_plan_names_each_process_of_a_rolled_back_module_with_its_instances_in_flight_before_anything_runs()
    {
        using var s = await RollbackScenario.CreateAsync();
        var reading = new ProcessInFlightReading([
            new ProcessInFlight("Orders", "OrderFulfilment", 4),
            new ProcessInFlight("Orders_CS", "OrderSync", 0),
            new ProcessInFlight("Invoices_CS", "InvoiceRun", 7)]);   // Billing is not rolled back

        var plan = await s.PlanAsync(processInstances: reading);

        var warning = Assert.Single(plan.Warnings, w => w.StartsWith("Business process '", StringComparison.Ordinal));
        Assert.Contains("'OrderFulfilment' of module Orders has 4 instance(s) in flight", warning);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("InvoiceRun", StringComparison.Ordinal) || w.Contains("OrderSync", StringComparison.Ordinal));
        Assert.Contains("OrderFulfilment", RollbackPlanFile.ToMarkdown(plan));
        Assert.Empty(s.World.Calls);
    }

    [Fact]
    public async Task An_unknown_reading_is_a_warning_and_the_plan_is_still_made()
    {
        using var s = await RollbackScenario.CreateAsync();

        var plan = await s.PlanAsync(processInstances: new ProcessInFlightReading([], "the business process tables of x could not be read (no such table)"));

        Assert.Contains(plan.Warnings, w => w.Contains("in flight: unknown", StringComparison.Ordinal) && w.Contains("no such table", StringComparison.Ordinal));
        Assert.NotEmpty(plan.Steps);
    }

    private static SqliteTarget SandboxProduction(TempDirectory temp)
    {
        var catalog = SeedFactory.Create(1);
        var production = catalog.Environments.Single(e => e.Slug == "production");
        var path = temp.File("production.db");
        new PlatformDatabase(path, catalog, production).Create(new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc));
        return new SqliteTarget(path);
    }
}
