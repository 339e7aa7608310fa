using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace OsRollback.Engine.Platform;

/// <summary>
/// The Service Center SOAP wire format, in one place. OutSystems does not document
/// PlatformServices_v8_0_0.asmx: the method names and argument order come from
/// OutSystems.SetupTools, but the parameter element names (username, password, moduleKey,
/// solutionPack, twoStepMode, publishId, afterMessageId) and the response element names are
/// UNVERIFIED against a real Service Center. They are exactly those fixed in docs/sandbox.md
/// ("Service Center wire format"); if a real platform differs, this is the one file to change.
/// </summary>
public static class ServiceCenterSoapWire
{
    public const string Path = "ServiceCenter/PlatformServices_v8_0_0.asmx";
    public const string StagingPath = "ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption";
    public static readonly XNamespace Ns = "http://www.outsystems.com";
    public static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    public const string ModulesGet = "Modules_Get";
    public const string ModuleGetVersions = "Module_GetVersions";
    public const string PublishWith2StepOption = "SolutionPack_PublishWith2StepOption";
    public const string GetPublishMessages = "SolutionPack_GetPublishMessages";
    public const string PublishContinue = "SolutionPack_PublishContinue";
    public const string PublishAbort = "SolutionPack_PublishAbort";

    /// <summary>The request envelope: user and password first, then the arguments in order.</summary>
    public static string BuildEnvelope(string method, string userName, string password, params (string Name, string Value)[] arguments)
    {
        var body = new XElement(Ns + method,
            new XElement(Ns + "username", userName),
            new XElement(Ns + "password", password),
            arguments.Select(a => new XElement(Ns + a.Name, a.Value)));
        var envelope = new XElement(Soap12 + "Envelope", new XAttribute(XNamespace.Xmlns + "soap12", Soap12.NamespaceName), new XElement(Soap12 + "Body", body));
        return envelope.ToString(SaveOptions.DisableFormatting);
    }

    public static MediaTypeHeaderValue ContentType(string method)
    {
        var type = new MediaTypeHeaderValue("application/soap+xml") { CharSet = "utf-8" };
        type.Parameters.Add(new NameValueHeaderValue("action", $"\"{Ns.NamespaceName}/{method}\""));
        return type;
    }

    public static HttpContent Content(string envelope, string method)
    {
        var content = new StringContent(envelope, Encoding.UTF8);
        content.Headers.ContentType = ContentType(method);
        return content;
    }

    public static string Bool(bool value) => value ? "true" : "false";
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The &lt;MethodResponse&gt; element, or null when the body is not one.</summary>
    public static XElement? ResponseElement(string xml, string method)
    {
        try
        {
            var doc = XDocument.Parse(xml);
            return doc.Descendants(Ns + (method + "Response")).FirstOrDefault()
                   ?? doc.Descendants().FirstOrDefault(e => e.Name.LocalName == method + "Response");
        }
        catch (System.Xml.XmlException) { return null; }
    }

    /// <summary>The SOAP fault text, if the body is a fault.</summary>
    public static string? FaultText(string xml)
    {
        try
        {
            var fault = XDocument.Parse(xml).Descendants(Soap12 + "Fault").FirstOrDefault();
            return fault?.Descendants(Soap12 + "Text").FirstOrDefault()?.Value ?? fault?.Value;
        }
        catch (System.Xml.XmlException) { return null; }
    }

    public static int ErrorCode(XElement response) => int.TryParse(Value(response, "errorCode"), out var code) ? code : 0;
    public static string ErrorMessage(XElement response) => Value(response, "errorMessage") ?? "";

    public static string? Value(XElement parent, string name) =>
        (parent.Element(Ns + name) ?? parent.Elements().FirstOrDefault(e => e.Name.LocalName == name))?.Value;

    private static IEnumerable<XElement> Items(XElement response, string list, string item)
    {
        var container = response.Element(Ns + list) ?? response.Elements().FirstOrDefault(e => e.Name.LocalName == list);
        return container is null ? [] : container.Elements().Where(e => e.Name.LocalName == item);
    }

    public static long ReadPublishId(XElement response) => long.TryParse(Value(response, "publishId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0;

    public static PublishMessagesPage ReadMessages(XElement response) => new()
    {
        Messages = Items(response, "messages", "PublishMessage").Select(m => new PublishMessage
        {
            Id = long.TryParse(Value(m, "Id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0,
            Type = Value(m, "Type") ?? "Info",
            Message = Value(m, "Message") ?? "",
            Detail = Value(m, "Detail"),
        }).ToList(),
        LastMessageId = long.TryParse(Value(response, "lastMessageId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var last) ? last : 0,
        Finished = string.Equals(Value(response, "finished"), "true", StringComparison.OrdinalIgnoreCase),
        Status = Value(response, "status"),
    };

    public static List<ServiceCenterModule> ReadModules(XElement response) =>
        Items(response, "modules", "Module").Select(m => new ServiceCenterModule
        {
            Key = Value(m, "Key") ?? "",
            Name = Value(m, "Name") ?? "",
            Kind = Value(m, "Kind") ?? "eSpace",
            PublishedVersion = int.TryParse(Value(m, "PublishedVersion"), out var v) ? v : null,
        }).ToList();

    public static ServiceCenterModuleVersions ReadModuleVersions(XElement response, string moduleKey) => new()
    {
        ModuleKey = moduleKey,
        PublishedVersion = int.TryParse(Value(response, "publishedVersion"), out var p) ? p : null,
        Versions = Items(response, "versions", "ModuleVersion").Select(v => new ServiceCenterModuleVersion
        {
            Version = int.TryParse(Value(v, "Version"), out var n) ? n : 0,
            CreatedOn = DateTimeOffset.TryParse(Value(v, "CreatedOn"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : null,
            Hash = Value(v, "Hash"),
        }).ToList(),
    };

    /// <summary>
    /// The staging REST body: {"ModulesToPublish":[{"REST_Module":{"Name","Key","Kind"}}],"ApplicationsToUpdate":[]}.
    /// A module pinned to an older version also carries "Version" (unverified: the contract does not
    /// document it; the sandbox honours it, and a platform that ignores it republishes the published version).
    /// </summary>
    public static string StagingBody(IEnumerable<ServiceCenterModule> modules) => PlatformJson.Serialize(new
    {
        ModulesToPublish = modules.Select(m => new
        {
            REST_Module = m.Version is int version
                ? (object)new { m.Name, m.Key, m.Kind, Version = version }
                : new { m.Name, m.Key, m.Kind },
        }).ToList(),
        ApplicationsToUpdate = Array.Empty<object>(),
    });

    public static string StagingQuery(string stagingName, bool twoStepMode) =>
        $"?StagingName={Uri.EscapeDataString(stagingName)}&TwoStepMode={Bool(twoStepMode)}";
}
