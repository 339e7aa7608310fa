using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OsRollback.Sandbox.Tests;

public class LifeTimeReadTests : SandboxTestBase
{
    [Fact]
    public async Task Environments_have_the_contract_fields_and_types()
    {
        var (status, body, _) = await Get(LifeTime + "environments/");
        Assert.Equal(HttpStatusCode.OK, status);
        var environments = body.EnumerateArray().ToList();
        Assert.Equal(["Development", "Quality", "Production"], environments.Select(e => e.GetProperty("Name").GetString()));
        Assert.Equal(["Development", "Test", "Production"], environments.Select(e => e.GetProperty("EnvironmentType").GetString()));
        foreach (var field in new[] { "Key", "Name", "OSVersion", "Order", "HostName", "UseHTTPS", "EnvironmentType", "NumberOfFrontEnds", "DatabaseProvider", "IsCloudEnvironment" })
            Assert.Contains(field, Names(environments[0]));
        Assert.Equal(JsonValueKind.Number, environments[2].GetProperty("Order").ValueKind);
    }

    [Fact]
    public async Task Without_the_token_every_LifeTime_and_control_call_is_401_with_the_errors_body()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(Sandbox.Url + "/") };
        using var wrong = new HttpClient { BaseAddress = new Uri(Sandbox.Url + "/") };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var path in new[] { LifeTime + "environments/", LifeTime + "applications/", LifeTime + "deployments/", "_sandbox/state" })
            {
                var (status, body, _) = await Get(path, client);
                Assert.Equal(HttpStatusCode.Unauthorized, status);
                Assert.Equal(401, body.GetProperty("StatusCode").GetInt32());
                Assert.NotEmpty(body.GetProperty("Errors").EnumerateArray());
            }
        }
    }

    [Fact]
    public async Task IncludeModules_without_IncludeEnvStatus_is_a_400()
    {
        foreach (var path in new[] { "applications/?IncludeModules=true", $"environments/{Env("Production").Key}/applications/?IncludeModules=true&IncludeEnvStatus=false" })
        {
            var (status, body, _) = await Get(LifeTime + path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, body.GetProperty("StatusCode").GetInt32());
            Assert.Single(body.GetProperty("Errors").EnumerateArray());
        }
    }

    [Fact]
    public async Task Applications_show_what_runs_where_with_module_status()
    {
        var (status, body, _) = await Get(LifeTime + "applications/?IncludeModules=true&IncludeEnvStatus=true");
        Assert.Equal(HttpStatusCode.OK, status);
        var apps = body.EnumerateArray().ToList();
        Assert.True(apps.Count >= 8);
        var orders = apps.Single(a => a.GetProperty("Name").GetString() == "Orders");
        foreach (var field in new[] { "Key", "Name", "Kind", "Team", "Description", "URLPath", "IsSystem", "AppStatusInEnvs" })
            Assert.Contains(field, Names(orders));
        Assert.Equal("orders", orders.GetProperty("URLPath").GetString());
        var statuses = orders.GetProperty("AppStatusInEnvs").EnumerateArray().ToList();
        Assert.Equal(3, statuses.Count);
        var production = statuses.Single(s => s.GetProperty("EnvironmentKey").GetString() == Env("Production").Key);
        foreach (var field in new[] { "EnvironmentKey", "BaseApplicationVersionKey", "BaseApplicationVersionLabel", "IsModified", "ConsistencyStatus", "ModuleStatusInEnvs", "DeploymentZoneKey" })
            Assert.Contains(field, Names(production));
        Assert.Equal("1.1.0", production.GetProperty("BaseApplicationVersionLabel").GetString());
        Assert.Equal(Tag("Orders", "1.1.0").Key, production.GetProperty("BaseApplicationVersionKey").GetString());
        Assert.False(production.GetProperty("IsModified").GetBoolean());
        var module = production.GetProperty("ModuleStatusInEnvs")[0];
        Assert.Equal(["ApplicationKey", "EnvironmentKey", "ModuleVersionKey", "ConsistencyStatus", "ConsistencyStatusMessages"], Names(module));
        Assert.Equal(5, production.GetProperty("ModuleStatusInEnvs").GetArrayLength());
        Assert.Equal("1.2.0", await RunningTag("Quality", "Orders"));
        Assert.Equal("1.2.0", await RunningTag("Development", "Orders"));
        Assert.Contains(apps, a => a.GetProperty("Kind").GetString() == "Mobile");
    }

    [Fact]
    public async Task Application_versions_are_newest_first_and_limited()
    {
        var orders = App("Orders");
        var (status, body, _) = await Get(LifeTime + $"applications/{orders.Key}/versions/");
        Assert.Equal(HttpStatusCode.OK, status);
        // 1.2.1 is the fix tagged in Development after the bad 1.2.0; it runs nowhere yet.
        Assert.Equal(["1.2.1", "1.2.0", "1.1.0", "1.0.0"], body.EnumerateArray().Select(v => v.GetProperty("Version").GetString()));
        var newest = body[0];
        foreach (var field in new[] { "Key", "ApplicationKey", "Version", "ChangeLog", "CreatedOn", "InUse", "ModuleVersions", "EnvironmentKey" })
            Assert.Contains(field, Names(newest));
        Assert.False(newest.GetProperty("InUse").GetBoolean());
        Assert.True(body[1].GetProperty("InUse").GetBoolean());
        Assert.False(body[3].GetProperty("InUse").GetBoolean());
        var moduleVersion = newest.GetProperty("ModuleVersions")[0];
        foreach (var field in new[] { "Key", "ModuleKey", "CreatedOn", "CreatedBy", "GeneralHash" })
            Assert.Contains(field, Names(moduleVersion));
        var (_, one, _) = await Get(LifeTime + $"applications/{orders.Key}/versions/?MaximumVersionsToReturn=1");
        Assert.Equal(1, one.GetArrayLength());
        var (negative, _, _) = await Get(LifeTime + $"applications/{orders.Key}/versions/?MaximumVersionsToReturn=-1");
        Assert.Equal(HttpStatusCode.BadRequest, negative);
        var (missing, error, _) = await Get(LifeTime + "applications/no-such-app/versions/");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(404, error.GetProperty("StatusCode").GetInt32());
    }

    [Fact]
    public async Task Version_content_is_a_link_to_a_package_of_that_version()
    {
        var version = Tag("Orders", "1.1.0");
        var (status, body, response) = await Get(LifeTime + $"applications/{version.App.Key}/versions/{version.Key}/content/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["url", "expires"], Names(body));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(60).UtcDateTime, body.GetProperty("expires").GetDateTime(), TimeSpan.FromSeconds(1));
        using var anonymous = new HttpClient();
        var package = await anonymous.GetByteArrayAsync(body.GetProperty("url").GetString());
        using var zip = new ZipArchive(new MemoryStream(package));
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal("1.1.0", manifest.RootElement.GetProperty("applications")[0].GetProperty("version").GetString());
        Assert.Equal(5, manifest.RootElement.GetProperty("modules").GetArrayLength());
        Assert.Equal("2", manifest.RootElement.GetProperty("modules")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task Modules_and_module_versions_have_the_contract_fields()
    {
        var (status, body, _) = await Get(LifeTime + "modules/");
        Assert.Equal(HttpStatusCode.OK, status);
        var modules = body.EnumerateArray().ToList();
        Assert.True(modules.Count >= 40);
        Assert.Equal(["Key", "Name", "Description", "Kind"], Names(modules[0]));
        Assert.Contains(modules, m => m.GetProperty("Kind").GetString() == "Extension");
        Assert.Contains(modules, m => m.GetProperty("Kind").GetString() == "eSpace");
        var ordersCs = modules.Single(m => m.GetProperty("Name").GetString() == "Orders_CS");
        var (_, versions, _) = await Get(LifeTime + $"modules/{ordersCs.GetProperty("Key").GetString()}/versions/");
        Assert.Equal(4, versions.GetArrayLength()); // tags 1.0.0 to 1.2.0 and the fix 1.2.1
        Assert.Equal(["Key", "ModuleKey", "CreatedOn", "CreatedBy", "CreatedByUsername", "GeneralHash", "DirectUpgradeFromHash"], Names(versions[0]));
    }

    [Fact]
    public async Task Unknown_environment_and_path_answer_404_with_the_errors_body()
    {
        var (status, body, _) = await Get(LifeTime + "environments/nope/applications/");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, body.GetProperty("StatusCode").GetInt32());
        var (other, otherBody, _) = await Get(LifeTime + "no/such/thing/");
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Equal(404, otherBody.GetProperty("StatusCode").GetInt32());
    }

    [Fact]
    public async Task Seeded_keys_are_deterministic_for_a_seed()
    {
        var again = Path.Combine(DataDirectory, "again");
        await using var second = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = again, TimeProvider = Clock });
        Assert.Equal(Catalog.Environments.Select(e => e.Key), second.Catalog.Environments.Select(e => e.Key));
        Assert.Equal(Catalog.AppVersions.Select(v => v.Key), second.Catalog.AppVersions.Select(v => v.Key));
        await using var other = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = Path.Combine(DataDirectory, "other"), Seed = 7, TimeProvider = Clock });
        Assert.NotEqual(Catalog.Environments[0].Key, other.Catalog.Environments[0].Key);
        Assert.Equal(Catalog.Apps.Select(a => a.Name), other.Catalog.Apps.Select(a => a.Name));
    }

    [Fact]
    public async Task The_running_version_of_an_application_can_be_downloaded_and_zones_listed()
    {
        var production = Env("Production");
        var (status, link, _) = await Get(LifeTime + $"environments/{production.Key}/applications/{App("Orders").Key}/content/");
        Assert.Equal(HttpStatusCode.OK, status);
        using var anonymous = new HttpClient();
        using var zip = new ZipArchive(new MemoryStream(await anonymous.GetByteArrayAsync(link.GetProperty("url").GetString())));
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(Tag("Orders", "1.1.0").Key, manifest.RootElement.GetProperty("applications")[0].GetProperty("versionKey").GetString());
        var (_, zones, _) = await Get(LifeTime + $"environments/{production.Key}/deploymentzones/");
        Assert.True(zones[0].GetProperty("IsDefault").GetBoolean());
        var (_, apps, _) = await Get(LifeTime + $"environments/{production.Key}/applications/?IncludeEnvStatus=true");
        Assert.Equal(zones[0].GetProperty("Key").GetString(), apps[0].GetProperty("AppStatusInEnvs")[0].GetProperty("DeploymentZoneKey").GetString());
    }
}
