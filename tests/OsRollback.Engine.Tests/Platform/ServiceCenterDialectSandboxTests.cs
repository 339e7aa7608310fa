using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The Service Center client against the sandbox in both WSDL dialects: the same calls work in each.</summary>
public sealed class ServiceCenterDialectSandboxTests
{
    [Theory]
    [InlineData("Classic")]
    [InlineData("Alternate")]
    public async Task A_two_step_publication_stops_at_PublishStop_and_continues_in_either_dialect(string dialect)
    {
        using var temp = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            DataDirectory = temp.File("data"), Pace = TimeSpan.Zero, // each step ends at the next look: no waiting
            Token = "sandbox-TOKEN-1234567",
            ServiceCenterPassword = "#sandbox-PASSWORD-99", ServiceCenterDialect = dialect,
        });
        var connection = new ServiceCenterConnection($"{sandbox.Url}/quality", sandbox.ServiceCenterUser, SecretText.FromPlainText(sandbox.ServiceCenterPassword),
            new PlatformHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        using var client = new ServiceCenterClient(connection);

        var ordersCs = (await client.GetModulesAsync()).Single(m => m.Name == "Orders_CS");
        Assert.Equal(3, ordersCs.PublishedVersion);
        Assert.Equal(3, (await client.GetModuleVersionsAsync(ordersCs.Key)).PublishedVersion);

        var older = sandbox.Catalog.ModuleByName("Orders_CS")!.Versions.Single(v => v.Number == 2);
        var publishId = await client.PublishSolutionPackAsync(SolutionPackage.Build([], [older]), twoStepMode: true);
        var stageOne = await client.GetPublishMessagesAsync(publishId, 0);
        Assert.Equal((false, DeploymentStatuses.NeedsUserIntervention), (stageOne.Finished, stageOne.Status));
        Assert.Equal(ServiceCenterSoapWire.PublishStop, stageOne.Messages[^1].Type);
        await client.ContinuePublishAsync(publishId);
        var done = await client.GetPublishMessagesAsync(publishId, stageOne.LastMessageId);
        Assert.True(done.Finished);
        Assert.DoesNotContain(done.Messages, m => m.Type == "Error");
        Assert.Equal(2, (await client.GetModuleVersionsAsync(ordersCs.Key)).PublishedVersion);

        var refused = await Assert.ThrowsAsync<OsRollback.Engine.Diagnostics.OsRollbackException>(() => client.PublishSolutionPackAsync("not a zip"u8.ToArray(), false));
        Assert.Equal("ServiceCenterPublishRejected", refused.ErrorId);
    }
}
