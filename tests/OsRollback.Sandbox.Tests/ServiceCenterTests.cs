using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using OsRollback.Sandbox.Api;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Tests;

/// <summary>Service Center in the Classic dialect (element names as docs/sandbox.md lists them).</summary>
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
    private static IEnumerable<XElement> Result(XElement response) => response.Element(Os + (response.Name.LocalName[..^"Response".Length] + "Result"))?.Elements() ?? [];

    [Fact]
    public async Task Wrong_password_is_errorCode_1_from_Module_GetVersions_and_a_fault_elsewhere()
    {
        var (status, response) = await Soap("Module_GetVersions", "wrong", "", ("moduleKey", Catalog.ModuleByName("Orders_CS")!.Key));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", Text(response, "errorCode"));
        Assert.NotEmpty(Text(response, "errorMessage"));
        var (faultStatus, fault) = await Soap("Modules_Get", "wrong");
        Assert.Equal(HttpStatusCode.InternalServerError, faultStatus);
        Assert.Contains("password", fault.Value);
        Assert.DoesNotContain(fault.Descendants(), e => e.Name.LocalName == "errorCode");
    }

    [Fact]
    public async Task Modules_and_their_versions_come_from_the_environment()
    {
        var (_, production) = await Soap("Modules_Get", "sc-password");
        Assert.Empty(production.Elements(Os + "errorCode"));
        var modules = Result(production).ToList();
        Assert.True(modules.Count >= 40);
        var ordersCs = modules.Single(m => Text(m, "Name") == "Orders_CS");
        Assert.Equal("2", Text(ordersCs, "PublishedVersion"));
        Assert.Equal("eSpace", Text(ordersCs, "Kind"));
        var (_, quality) = await Soap("Modules_Get", "sc-password", "/quality");
        Assert.Equal("3", Text(Result(quality).Single(m => Text(m, "Name") == "Orders_CS"), "PublishedVersion"));

        var (_, versions) = await Soap("Module_GetVersions", "sc-password", "", ("moduleKey", Text(ordersCs, "Key")));
        Assert.Equal(["Module_GetVersionsResult", "publishedVersion", "errorCode", "errorMessage"], versions.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("2", Text(versions, "publishedVersion"));
        Assert.Equal(["1", "2"], Result(versions).Select(v => Text(v, "Version")));
        var (_, unknown) = await Soap("Module_GetVersions", "sc-password", "", ("moduleKey", "nope"));
        Assert.Equal("2", Text(unknown, "errorCode"));
    }

    [Fact]
    public async Task A_two_step_solution_publish_stops_with_PublishStop_then_publishes_the_versions()
    {
        var pack = SolutionPackage.Build([Tag("Orders", "1.2.0")], Tag("Orders", "1.2.0").ModuleVersions);
        var (_, started) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "",
            ("solutionPack", Convert.ToBase64String(pack)), ("twoStepMode", "true"));
        Assert.Equal(["SolutionPack_PublishWith2StepOptionResult", "publishId"], started.Elements().Select(e => e.Name.LocalName));
        var publishId = Text(started, "publishId");
        Assert.NotEqual("0", publishId);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, waiting) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId), ("afterMessageId", "0"));
        Assert.Equal(["SolutionPack_GetPublishMessagesResult", "lastMessageId", "finished"], waiting.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("false", Text(waiting, "finished"));
        Assert.Equal("PublishStop", Text(Result(waiting).Last(), "Type"));
        var last = Text(waiting, "lastMessageId");
        Assert.Equal(["Id", "Type", "Message", "Detail"], Result(waiting).First().Elements().Select(e => e.Name.LocalName));
        var (continued, _) = await Soap("SolutionPack_PublishContinue", "sc-password", "", ("publishId", publishId));
        Assert.Equal(HttpStatusCode.OK, continued);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId), ("afterMessageId", last));
        Assert.Equal("true", Text(done, "finished"));
        Assert.DoesNotContain(Result(done), m => Text(m, "Type") is "Error" or "PublishStop");
        Assert.All(Result(done), m => Assert.True(int.Parse(Text(m, "Id"), CultureInfo.InvariantCulture) > int.Parse(last, CultureInfo.InvariantCulture)));
        Assert.Equal("1.2.0", await RunningTag("Production", "Orders"));
        var (tooLate, _) = await Soap("SolutionPack_PublishAbort", "sc-password", "", ("publishId", publishId));
        Assert.Equal(HttpStatusCode.InternalServerError, tooLate);
    }

    [Fact]
    public async Task A_solution_pack_of_one_older_module_version_marks_the_application_modified()
    {
        var older = Catalog.ModuleByName("Orders_CS")!.Versions.Single(v => v.Number == 2);
        var (_, started) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "/quality",
            ("solutionPack", Convert.ToBase64String(SolutionPackage.Build([], [older]))), ("twoStepMode", "false"));
        Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "/quality", ("publishId", Text(started, "publishId")), ("afterMessageId", "0"));
        Assert.Equal("true", Text(done, "finished"));
        var (_, apps, _) = await Get(LifeTime + $"environments/{Env("Quality").Key}/applications/?IncludeEnvStatus=true");
        var orders = apps.EnumerateArray().Single(a => a.GetProperty("Name").GetString() == "Orders").GetProperty("AppStatusInEnvs")[0];
        Assert.True(orders.GetProperty("IsModified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await Page("quality", "orders"));
    }

    [Fact]
    public async Task An_invalid_pack_answers_publishId_0_with_the_reason_and_a_bad_envelope_is_a_fault()
    {
        var (_, response) = await Soap("SolutionPack_PublishWith2StepOption", "sc-password", "", ("solutionPack", Convert.ToBase64String("not a zip"u8.ToArray())), ("twoStepMode", "false"));
        Assert.Equal("0", Text(response, "publishId"));
        Assert.Equal("Error", Text(Result(response).Single(), "Type"));
        using var client = new HttpClient();
        var fault = await client.PostAsync(Sandbox.Url + "/ServiceCenter/PlatformServices_v8_0_0.asmx", new StringContent("<nope/>", Encoding.UTF8, "application/soap+xml"));
        Assert.Equal(HttpStatusCode.InternalServerError, fault.StatusCode);
        Assert.Contains("Fault", await fault.Content.ReadAsStringAsync());
        var (misnamed, _) = await Soap("Module_GetVersions", "sc-password", "", ("ssModuleKey", "x"));
        Assert.Equal(HttpStatusCode.InternalServerError, misnamed);
    }

    [Fact]
    public async Task The_WSDL_names_every_parameter_and_out_value_of_the_classic_dialect()
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(Sandbox.Url + "/quality/ServiceCenter/PlatformServices_v8_0_0.asmx?WSDL");
        var wsdl = XDocument.Parse(text);
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";
        string[] Sequence(string element) => wsdl.Descendants(xs + "element").Single(e => (string?)e.Attribute("name") == element)
            .Descendants(xs + "sequence").Single().Elements(xs + "element").Select(e => (string)e.Attribute("name")!).ToArray();
        Assert.Equal("http://www.outsystems.com", (string?)wsdl.Root!.Attribute("targetNamespace"));
        Assert.Equal(["username", "password", "publishId", "afterMessageId"], Sequence("SolutionPack_GetPublishMessages"));
        Assert.Equal(["SolutionPack_GetPublishMessagesResult", "lastMessageId", "finished"], Sequence("SolutionPack_GetPublishMessagesResponse"));
        Assert.Contains("/quality/ServiceCenter/PlatformServices_v8_0_0.asmx", text);
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
            var (_, done) = await Soap("SolutionPack_GetPublishMessages", "sc-password", "", ("publishId", publishId.ToString(CultureInfo.InvariantCulture)), ("afterMessageId", "0"));
            Assert.Equal("true", Text(done, "finished"));
        }
    }
}

/// <summary>Service Center in the Alternate dialect: other element names and namespace, published in its WSDL.</summary>
public sealed class ServiceCenterAlternateDialectTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.ServiceCenterDialect = "Alternate";

    [Fact]
    public async Task The_WSDL_and_the_calls_use_the_alternate_names()
    {
        using var client = new HttpClient();
        var wsdl = XDocument.Parse(await client.GetStringAsync(Sandbox.Url + "/ServiceCenter/PlatformServices_v8_0_0.asmx?WSDL"));
        XNamespace ns = (string)wsdl.Root!.Attribute("targetNamespace")!;
        Assert.NotEqual("http://www.outsystems.com", ns.NamespaceName);
        var key = Catalog.ModuleByName("Orders_CS")!.Key;
        var body = new XElement(ns + "Module_GetVersions", new XElement(ns + "ssUser", "admin"), new XElement(ns + "ssPassword", "sc-password"), new XElement(ns + "ssModuleKey", key));
        var envelope = new XElement(ServiceCenterSoapWire.Soap + "Envelope", new XElement(ServiceCenterSoapWire.Soap + "Body", body));
        var response = await client.PostAsync(Sandbox.Url + "/ServiceCenter/PlatformServices_v8_0_0.asmx", new StringContent(envelope.ToString(), Encoding.UTF8, "application/soap+xml"));
        var answer = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(ns + "Module_GetVersionsResponse").Single();
        Assert.Equal(["Module_GetVersionsResult", "ssPublishedVersion", "ssErrorCode", "ssErrorMessage"], answer.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("2", answer.Element(ns + "ssPublishedVersion")!.Value);

        var classic = new XElement(ServiceCenterSoapWire.OutSystems + "Modules_Get", new XElement(ServiceCenterSoapWire.OutSystems + "username", "admin"));
        var refused = await client.PostAsync(Sandbox.Url + "/ServiceCenter/PlatformServices_v8_0_0.asmx",
            new StringContent(new XElement(ServiceCenterSoapWire.Soap + "Envelope", new XElement(ServiceCenterSoapWire.Soap + "Body", classic)).ToString(), Encoding.UTF8, "application/soap+xml"));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
    }
}
