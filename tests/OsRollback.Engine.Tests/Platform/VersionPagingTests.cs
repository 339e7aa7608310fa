using System.Net;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// LifeTime lists only the newest five versions of a module or application by default; a
/// rollback point's version may be older, so it is looked up by key when the page misses it.
/// </summary>
public sealed class VersionPagingTests
{
    private static HttpResponseMessage Missing() => FakeHandler.Json("""{"Errors":["not found"],"StatusCode":404}""", HttpStatusCode.NotFound);

    [Fact]
    public async Task A_module_version_missing_from_the_newest_page_is_read_by_its_key()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath switch
        {
            "/lifetimeapi/rest/v2/modules/m1/versions/" => FakeHandler.Json("""[{"Key":"v9","ModuleKey":"m1","GeneralHash":"h9"}]"""),
            "/lifetimeapi/rest/v2/modules/m1/versions/v1/" => FakeHandler.Json("""{"Key":"v1","GeneralHash":"h1"}"""),
            _ => Missing(),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var found = await client.FindModuleVersionAsync("m1", "v1");

        Assert.Equal(("v1", "m1", "h1"), (found!.Key, found.ModuleKey, found.GeneralHash));
        Assert.Equal(["/lifetimeapi/rest/v2/modules/m1/versions/?MaximumVersionsToReturn=5", "/lifetimeapi/rest/v2/modules/m1/versions/v1/"],
            handler.Requests.Select(x => x.Uri.PathAndQuery).ToArray());
    }

    [Fact]
    public async Task A_version_on_the_newest_page_needs_one_call_and_an_unknown_one_is_null()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath switch
        {
            "/lifetimeapi/rest/v2/applications/a1/versions/" => FakeHandler.Json("""[{"Key":"t2","Version":"1.2"}]"""),
            _ => Missing(),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        Assert.Equal("1.2", (await client.FindApplicationVersionAsync("a1", "t2"))!.Version);
        Assert.Equal(1, handler.Count);
        Assert.Null(await client.FindApplicationVersionAsync("a1", "gone"));
        Assert.Equal("/lifetimeapi/rest/v2/applications/a1/versions/gone/?IncludeModules=true", handler.Requests.Last().Uri.PathAndQuery);
    }

    [Fact]
    public async Task Module_strategy_publishes_a_rollback_point_version_older_than_the_newest_five()
    {
        using var temp = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = temp.File("data"), Pace = TimeSpan.FromMilliseconds(5), Token = "sandbox-TOKEN-1234567", ServiceCenterPassword = "#sandbox-PASSWORD-99" });
        var module = sandbox.Catalog.Modules.Single(m => m.Name == "Orders_BL");
        var rollbackPointVersion = module.Versions.Single(v => v.Tag == "1.0.0" && v.Number == 1);
        var options = new PlatformHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMinutes(2) } };
        var lifeTime = new LifeTimeConnection(sandbox.Url, SecretText.FromPlainText(sandbox.Token), options);
        var serviceCenter = new ServiceCenterConnection($"{sandbox.Url}/production", sandbox.ServiceCenterUser, SecretText.FromPlainText(sandbox.ServiceCenterPassword), options);
        using (var client = new LifeTimeClient(lifeTime))
            Assert.DoesNotContain(await client.GetModuleVersionsAsync(module.Key), v => v.Key == rollbackPointVersion.Key);
        var reporter = new RecordingReporter();

        using var adapter = new PlatformServicesAdapter(lifeTime, serviceCenter, null, temp.File("states"));
        await adapter.PublishModulesAsync("Production", [new ModulePublishItem(module.Name, module.Key, "eSpace", rollbackPointVersion.Key)], useUnverifiedVersionField: true, reporter, default);

        Assert.DoesNotContain(reporter.Warnings, w => w.Contains("Orders_BL"));
        using var sc = new ServiceCenterClient(serviceCenter);
        Assert.Equal(1, (await sc.GetModuleVersionsAsync(module.Key)).PublishedVersion);
    }
}

/// <summary>The staging call's Version field is undocumented: it is sent only when a caller turns it on.</summary>
public sealed class UnverifiedVersionFieldTests
{
    [Fact]
    public async Task Pinned_versions_are_refused_unless_the_unverified_field_is_turned_on()
    {
        var d = OsRollback.Sandbox.Api.ServiceCenterDialect.Classic;
        var handler = new FakeHandler((r, _, _) => r.Method == HttpMethod.Get
            ? FakeHandler.Text(d.Wsdl("https://dev.example.com/x"))
            : new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><Modules_GetResponse xmlns="http://www.outsystems.com"><Modules_GetResult><Module><Key>k1</Key><Name>Orders_CS</Name><Kind>eSpace</Kind><PublishedVersion>3</PublishedVersion></Module></Modules_GetResult></Modules_GetResponse></soap12:Body></soap12:Envelope>"""),
            });
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());
        var entries = new[] { new OsRollback.Engine.Modules.ModuleOrderEntry { Order = 1, Wave = 1, Name = "Orders_CS" } };

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => ModuleWavePublisher.PublishAsync(client, entries,
            new ModuleWavePublishOptions { Versions = new Dictionary<string, int> { ["Orders_CS"] = 2 } }));

        Assert.Equal("ModuleVersionRouteUnverified", error.ErrorId);
        Assert.DoesNotContain(handler.Requests, x => x.Uri.AbsolutePath.Contains("/rest/"));
        Assert.False(new ModuleWavePublishOptions().UseUnverifiedVersionField);
    }
}
