using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Which steps make the users' outage of each strategy: offline to online, both included.</summary>
public class UsersOutageWindowTests
{
    [Theory]
    [InlineData(RollbackStrategy.LifeTime, "VerifyRollbackPoint DeployVersions VerifyVersions SmokeTest", 1, 1)]
    [InlineData(RollbackStrategy.Solution, "VerifyRollbackPoint PublishSolution VerifyVersions SmokeTest", 1, 1)]
    [InlineData(RollbackStrategy.Module, "VerifyRollbackPoint PublishModuleWave PublishModuleWave PublishModuleWave VerifyVersions SmokeTest", 1, 3)]
    [InlineData(RollbackStrategy.Database, "VerifyRollbackPoint MaintenanceOn SuspendTimers FirewallOffline BackupCurrent RestoreDatabase MaintenanceOff SmokeTest FirewallOnline ResumeTimers RestoreParallel", 1, 8)]
    [InlineData(RollbackStrategy.Database, "VerifyRollbackPoint FirewallOffline StopServices BackupCurrent RestoreDatabase PublishAllComponents MaintenanceOff SmokeTest", 1, 6)]
    public void The_outage_runs_from_the_step_that_takes_the_applications_away_to_the_one_that_gives_them_back(RollbackStrategy strategy, string kinds, int first, int last) =>
        Assert.Equal((first, last), UsersOutageWindow.Of(strategy, kinds.Split(' ')));

    [Fact]
    public void Steps_that_never_take_the_applications_away_have_no_outage() =>
        Assert.Null(UsersOutageWindow.Of(RollbackStrategy.Database, ["VerifyRollbackPoint", "RestoreParallel"]));

    [Fact]
    public void Module_waves_take_their_default_three_minutes_each()
    {
        RollbackStep[] steps = [new VerifyRollbackPointStep(), new PublishModuleWaveStep(), new PublishModuleWaveStep(), new VerifyVersionsStep(), new SmokeTestStep()];
        var estimate = OutageEstimator.Estimate(RollbackStrategy.Module, steps, new OutageEstimateInputs { Environment = "Production" })!;
        Assert.Equal(TimeSpan.FromMinutes(6), estimate.Outage);
    }
}
