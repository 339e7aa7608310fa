using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using OsRollback.Sandbox.Api;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Tests;

public class ServiceCenterTests : SandboxTestBase
{
    private static readonly XNamespace Os = "http://www.outsystems.com";

    private async Task<(HttpStatusCode Status, XElement Response)> Soap(string method, string password, string prefix = "", params (string Name, string Value)[] arguments)
    {
        var body = new XElement(Os + method, new XElement(Os + "username", "admin"), new XElement(Os + "password", password),
            arguments.Select(a => new XElement(Os + a.Name, a.Value)));
        var envelope = new XElement(ServiceCenterSoapWire.Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap12", ServiceCenterSoapWire.Soap.NamespaceName),
            new XElement(ServiceCenterSoapWire.Soap + "Body", body));
        using var content = new StringContent(envelope.ToString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/soap+xml; charset=utf-8; action=\"http://www.outsystems.com/{method}\"");
        using var anonymous = new HttpClient();
        var response = await anonymous.PostAsync($"{Sandbox.Url}{prefix}/ServiceCenter/PlatformServices_v8_0_0.asmx", content);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.Descendants().FirstOrDefault(e => e.Name == Os + (method + "Response")) ?? document.Root!);
    }

    private static string Text(XElement element, string name) => element.Element(Os + name)?.Value ?? "";

    [Fact]
    public async Task Wrong_password_is_errorCode_1_with_HTTP_200()
    {
        var (status, response) = await Soap("Modules_Get", "wrong");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", Text(response, "errorCode"));
        Assert.NotEmpty(Text(response, "errorMessage"));
    }

    [Fact]
    public async Task Modules_and_their_versions_come_from_the_environment()
    {
        var (_, production) = await Soap("Modules_Get", "sc-password");
        Assert.Equal("0", Text(production, "errorCode"));
        var modules = production.Element(Os + "modules")!.Elements(Os + "Module").ToList();
        Assert.True(modules.Count >= 40);
        var ordersCs = modules.Single(m => Text(m, "Name") == "Orders_CS");
        Assert.Equal("2", Text(ordersCs, "PublishedVersion"));
        Assert.Equal("eSpace", Text(ordersCs, "Kind"));
        var (_, quality) = await Soap("Modules_Get", "sc-password", "/quality");
        Assert.Equal("3", Text(quality.Element(Os + "modules")!.Elements(Os + "Module").Single(m => Text(m, "Name") == "Orders_CS"), "PublishedVersion"));

        var (_, versions) = await Soap("Module_GetVersions", "sc-password", "", ("moduleKey", Text(ordersCs, "Key")));
        Assert.Equal("2", Text(versions, "publishedVersion"));
        Assert.Equal(["1", "2"], versions.Element(Os + "versions")!.Elements(Os + "ModuleVersion").Select(v => Text(v, "Version")));
        var (_, unknown) = await Soap("Module_GetVersions", "sc-password", "", ("moduleKey", "nope"));
        Assert.Equal("2", Text(unknown, "errorCode"));
    }

    [Fact]
    public async Task A_two_step_solution_publish_waits_then_publishes_the_versions()
    {
        var pack = SolutionPackage.Build([Tag("Orders", "1.2.0")], Tag("Orders", "1.2.0").ModuleVersions);
        var (_, started) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "",
            ("solutionPack", Convert.ToBase64String(pack)), ("twoStepMode", "true"));
        Assert.Equal("0", Text(started, "errorCode"));
        var publishId = Text(started, "publishId");
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, waiting) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId), ("afterMessageId", "0"));
        Assert.Equal("needs_user_intervention", Text(waiting, "status"));
        Assert.Equal("false", Text(waiting, "finished"));
        var last = Text(waiting, "lastMessageId");
        var message = waiting.Element(Os + "messages")!.Elements(Os + "PublishMessage").First();
        Assert.Equal(["Id", "Type", "Message", "Detail"], message.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("0", Text((await Soap("SolutionPack_PublishContinue", "sc-password", "", ("publishId", publishId))).Response, "errorCode"));
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId), ("afterMessageId", last));
        Assert.Equal("true", Text(done, "finished"));
        Assert.Equal("finished_successful", Text(done, "status"));
        Assert.All(done.Element(Os + "messages")!.Elements(Os + "PublishMessage"), m => Assert.True(int.Parse(Text(m, "Id")) > int.Parse(last)));
        Assert.Equal("1.2.0", await RunningTag("Production", "Orders"));
        Assert.Equal("4", Text((await Soap("SolutionPack_PublishAbort", "sc-password", "", ("publishId", publishId))).Response, "errorCode"));
    }

    [Fact]
    public async Task A_solution_pack_of_one_older_module_version_marks_the_application_modified()
    {
        var older = Catalog.ModuleByName("Orders_CS")!.Versions.Single(v => v.Number == 2);
        var (_, started) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "/quality",
            ("solutionPack", Convert.ToBase64String(SolutionPackage.Build([], [older]))), ("twoStepMode", "false"));
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "/quality", ("publishId", Text(started, "publishId")), ("afterMessageId", "0"));
        Assert.Equal("finished_successful", Text(done, "status"));
        var (_, apps, _) = await Get(LifeTime + $"environments/{Env("Quality").Key}/applications/?IncludeEnvStatus=true");
        var orders = apps.EnumerateArray().Single(a => a.GetProperty("Name").GetString() == "Orders").GetProperty("AppStatusInEnvs")[0];
        Assert.True(orders.GetProperty("IsModified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await Page("quality", "orders"));
    }

    [Fact]
    public async Task An_invalid_pack_or_envelope_is_reported()
    {
        var (_, response) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "", ("solutionPack", Convert.ToBase64String("not a zip"u8.ToArray())), ("twoStepMode", "false"));
        Assert.Equal("3", Text(response, "errorCode"));
        using var client = new HttpClient();
        var fault = await client.PostAsync(Sandbox.Url + "/ServiceCenter/PlatformServices_v8_0_0.asmx", new StringContent("<nope/>", Encoding.UTF8, "application/soap+xml"));
        Assert.Equal(HttpStatusCode.InternalServerError, fault.StatusCode);
        Assert.Contains("Fault", await fault.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Staging_REST_call_checks_basic_authentication_and_republishes()
    {
        var body = """{"ModulesToPublish":[{"REST_Module":{"Name":"Orders_CS","Key":"","Kind":"eSpace"}}],"ApplicationsToUpdate":[]}""";
        using var client = new HttpClient();
        var url = Sandbox.Url + "/ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption?StagingName=wave1&TwoStepMode=false";
        using (var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:bad"u8.ToArray()));
            var refused = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:sc-password"u8.ToArray()));
            var accepted = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var publishId = (await Json(accepted)).GetProperty("PublishId").GetInt32();
            Clock.Advance(TimeSpan.FromSeconds(5));
            var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId.ToString()), ("afterMessageId", "0"));
            Assert.Equal("finished_successful", Text(done, "status"));
        }
    }
}
