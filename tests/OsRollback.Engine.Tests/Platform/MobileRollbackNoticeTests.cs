using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>A rollback of a mobile app warns that installed native builds stay, and says whether a new native build is needed.</summary>
public sealed class MobileRollbackNoticeTests
{
    [Fact]
    public void A_web_app_gets_no_warning()
    {
        Assert.Null(MobileRollbackNotice.Warning("Orders", "WebResponsive", "1.2.0", "", "1.1.0", null));
    }

    [Fact]
    public void The_same_native_hash_needs_no_new_build_and_another_one_does()
    {
        var same = MobileRollbackNotice.Warning("Field Service", "Mobile", "1.1.0", "h1", "1.0.0", "h1")!;
        Assert.Contains("installed on devices stay as they are", same);
        Assert.Contains("no new native build is needed", same);
        var other = MobileRollbackNotice.Warning("Field Service", "Mobile", "1.2.0", "h2", "1.1.0", "h1")!;
        Assert.Contains("generate a new native build of 1.1.0", other);
        Assert.Contains("unknown", MobileRollbackNotice.Warning("Field Service", "Mobile", "1.2.0", "h2", "1.1.0", "")!);
    }

    [Fact]
    public async Task The_mobile_fields_are_read_from_LifeTime_and_give_the_right_warning()
    {
        using var temp = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = temp.File("data"), Pace = TimeSpan.Zero, Token = "sandbox-TOKEN-1234567", ServiceCenterPassword = "#sandbox-PASSWORD-99" });
        using var client = new LifeTimeClient(new LifeTimeConnection(sandbox.Url, SecretText.FromPlainText(sandbox.Token)));
        var app = await client.ResolveApplicationAsync("Field Service");
        var versions = (await client.GetApplicationVersionsAsync(app.Key)).ToDictionary(v => v.Version);
        Assert.Equal(["Android", "iOS"], versions["1.1.0"].MobileVersions.Select(m => m.NativePlatform).ToArray());
        Assert.False(string.IsNullOrEmpty(versions["1.1.0"].NativeHash));
        var production = await client.ResolveEnvironmentAsync("Production");
        var status = (await client.GetEnvironmentApplicationsAsync(production.Key)).Single(a => a.Key == app.Key).AppStatusInEnvs.Single();
        Assert.Equal(2, status.MobileAppsStatus.Count);

        Assert.Contains("no new native build", MobileRollbackNotice.Warning(app.Name, app.Kind, "1.1.0", versions["1.1.0"].NativeHash, "1.0.0", versions["1.0.0"].NativeHash));
        Assert.Contains("generate a new native build", MobileRollbackNotice.Warning(app.Name, app.Kind, "1.2.0", versions["1.2.0"].NativeHash, "1.1.0", versions["1.1.0"].NativeHash));
    }
}
