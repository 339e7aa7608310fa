using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Sandbox.Api;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// The Service Center client names nothing itself: it reads PlatformServices' WSDL once per
/// connection and sends and reads every element by the name the WSDL gives for its position.
/// Both dialects below differ in every parameter and out-value name and in the namespace.
/// </summary>
public sealed class ServiceCenterWsdlTests
{
    public static TheoryData<string> Dialects => new() { "Classic", "Alternate" };

    /// <summary>A fake Service Center answering in <paramref name="dialect"/>; the answers are built from the WSDL's names.</summary>
    private static FakeHandler Fake(ServiceCenterDialect dialect, Func<string, string[]> answer)
    {
        var ns = dialect.Namespace;
        return new FakeHandler((r, body, _) =>
        {
            if (r.Method == HttpMethod.Get) return FakeHandler.Text(dialect.Wsdl("https://dev.example.com/ServiceCenter/PlatformServices_v8_0_0.asmx"));
            if (r.RequestUri!.AbsolutePath.Contains("/rest/")) return FakeHandler.Json("""{"PublishId": 12}""");
            var method = XDocument.Parse(body).Root!.Descendants().First(e => e.Name.Namespace == ns).Name.LocalName;
            var definition = dialect.Find(method)!;
            var values = answer(method);
            var response = new XElement(ns + (method + "Response"));
            var names = (definition.HasResult ? [ServiceCenterDialect.ResultName(definition)] : Array.Empty<string>()).Concat(definition.OutValues).ToArray();
            for (var i = 0; i < names.Length && i < values.Length; i++) response.Add(XElement.Parse($"<{names[i]} xmlns=\"{ns.NamespaceName}\">{values[i]}</{names[i]}>"));
            var envelope = $"""<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body>{response}</soap12:Body></soap12:Envelope>""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(envelope, System.Text.Encoding.UTF8, "application/soap+xml") };
        });
    }

    private static string Item(ServiceCenterDialect d, string element, params (string Name, string Value)[] fields) =>
        $"<{element}>{string.Concat(fields.Select(f => $"<{f.Name}>{f.Value}</{f.Name}>"))}</{element}>";

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Calls_use_the_WSDL_names_read_once_per_connection(string name)
    {
        var d = ServiceCenterDialect.Named(name);
        var handler = Fake(d, method => method switch
        {
            "Modules_Get" => [Item(d, d.ModuleItem, ("Key", "k1"), ("Name", "Orders_CS"), ("Kind", "eSpace"), ("PublishedVersion", "4"))],
            "Module_GetVersions" => [Item(d, d.VersionItem, ("Version", "4"), ("CreatedOn", "2026-11-20T10:00:00"), ("Hash", "h4")), "4", "0", ""],
            "SolutionPack_PublishWith2StepOption" => [Item(d, d.MessageItem, ("Id", "0"), ("Type", "Info"), ("Message", "uploaded")), "9"],
            "SolutionPack_GetPublishMessages" => [Item(d, d.MessageItem, ("Id", "1"), ("Type", "Warning"), ("Message", "m"), ("Detail", "d")), "1", "true"],
            _ => [],
        });
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());

        var module = Assert.Single(await client.GetModulesAsync());
        Assert.Equal(("k1", "Orders_CS", "eSpace", (int?)4), (module.Key, module.Name, module.Kind, module.PublishedVersion));
        var versions = await client.GetModuleVersionsAsync("k1");
        Assert.Equal(("h4", (int?)4), (Assert.Single(versions.Versions).Hash, versions.PublishedVersion));
        Assert.Equal(9, await client.PublishSolutionPackAsync([1, 2], twoStepMode: true));
        var page = await client.GetPublishMessagesAsync(9, 0);
        Assert.Equal((1L, true), (page.LastMessageId, page.Finished));
        Assert.Equal(("Warning", "m", "d"), (page.Messages[0].Type, page.Messages[0].Message, page.Messages[0].Detail));
        await client.ContinuePublishAsync(9);
        await client.AbortPublishAsync(9);

        var r = handler.Requests.ToArray();
        Assert.Equal("GET /ServiceCenter/PlatformServices_v8_0_0.asmx?WSDL", $"{r[0].Method} {r[0].Uri.PathAndQuery}");
        Assert.Single(r, x => x.Method == HttpMethod.Get);
        string[] Args(int i) => XDocument.Parse(r[i].Body).Root!.Descendants().First(e => e.Name.Namespace == d.Namespace).Elements().Select(e => e.Name.LocalName).ToArray();
        string[] Expected(string method) => new[] { d.User, d.Password }.Concat(d.Find(method)!.Parameters).ToArray();
        Assert.Equal(Expected("Modules_Get"), Args(1));
        Assert.Equal(Expected("Module_GetVersions"), Args(2));
        Assert.Equal(Expected("SolutionPack_PublishWith2StepOption"), Args(3));
        Assert.Contains($">{Convert.ToBase64String(new byte[] { 1, 2 })}</", r[3].Body);
        Assert.Equal(Expected("SolutionPack_GetPublishMessages"), Args(4));
        Assert.Equal(Expected("SolutionPack_PublishContinue"), Args(5));
        Assert.Contains($"action=\"{d.Namespace.NamespaceName}/SolutionPack_PublishAbort\"", r[6].ContentType);
        Assert.All(r.Skip(1), x => Assert.Null(x.Authorization));
    }

    [Fact]
    public async Task A_PublishStop_message_means_stage_one_is_done()
    {
        var d = ServiceCenterDialect.Classic;
        var handler = Fake(d, _ => [Item(d, d.MessageItem, ("Id", "3"), ("Type", "PublishStop"), ("Message", "prepared")), "3", "false"]);
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());
        var page = await client.GetPublishMessagesAsync(9, 0);
        Assert.Equal((false, DeploymentStatuses.NeedsUserIntervention), (page.Finished, page.Status));
    }

    [Fact]
    public async Task Publish_id_0_is_a_refusal_that_quotes_the_messages()
    {
        var d = ServiceCenterDialect.Alternate;
        var handler = Fake(d, _ => [Item(d, d.MessageItem, ("Id", "1"), ("Type", "Error"), ("Message", "Invalid solution pack."), ("Detail", "not a zip")), "0"]);
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.PublishSolutionPackAsync([1], false));
        Assert.Equal("ServiceCenterPublishRejected", error.ErrorId);
        Assert.Contains("Invalid solution pack. (not a zip)", error.Message);
    }

    [Fact]
    public async Task Only_Module_GetVersions_reads_an_error_code()
    {
        var d = ServiceCenterDialect.Classic;
        var handler = Fake(d, method => method == "Module_GetVersions" ? ["", "0", "2", "Module with key 'x' not found."] : []);
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetModuleVersionsAsync("x"));
        Assert.Equal(("ServiceCenterError", true), (error.ErrorId, error.Message.Contains("error 2")));
        Assert.Empty(await client.GetModulesAsync());
    }

    [Fact]
    public async Task A_refused_login_fault_is_clear_and_secret_free()
    {
        var handler = new FakeHandler((r, _, _) => r.Method == HttpMethod.Get
            ? FakeHandler.Text(ServiceCenterDialect.Classic.Wsdl("https://dev.example.com/x"))
            : new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new StringContent($"""<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><soap12:Fault><soap12:Code><soap12:Value>soap12:Sender</soap12:Value></soap12:Code><soap12:Reason><soap12:Text xml:lang="en">Invalid username or password {Fakes.Password}.</soap12:Text></soap12:Reason></soap12:Fault></soap12:Body></soap12:Envelope>"""),
            });
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays(), maxRetries: 0);
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetModulesAsync());
        Assert.Equal("ServiceCenterLoginRejected", error.ErrorId);
        Assert.Contains("platform-hashed", error.RecommendedAction);
        PlatformHttpTests.AssertNoSecret(error);
    }

    [Fact]
    public async Task A_WSDL_without_an_operation_says_which_one_is_missing()
    {
        var wsdl = ServiceCenterDialect.Classic.Wsdl("https://dev.example.com/x").Replace("SolutionPack_PublishAbort", "SomethingElse");
        var handler = new FakeHandler((r, _, _) => FakeHandler.Text(wsdl));
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.AbortPublishAsync(1));
        Assert.Equal("ServiceCenterOperationMissing", error.ErrorId);
        Assert.Contains("SolutionPack_PublishAbort", error.Message);
        var invalid = new FakeHandler((_, _, _) => FakeHandler.Text("<html>not a wsdl</html>"));
        using var other = Fakes.ServiceCenter(invalid, new RecordedDelays());
        Assert.Equal("ServiceCenterWsdlInvalid", (await Assert.ThrowsAsync<OsRollbackException>(() => other.GetModulesAsync())).ErrorId);
    }
}
