using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace OsRollback.Engine.Platform;

/// <summary>
/// The Service Center SOAP wire format, in one place. OutSystems does not document
/// PlatformServices_v8_0_0.asmx: the method names, the order of their arguments and out values
/// and their meaning come from OutSystems.SetupTools (which calls the service through a proxy
/// built from its WSDL). Element names and the namespace are NOT fixed here: they come from the
/// service's own WSDL (<see cref="ServiceCenterWsdl"/>), by position. The field names inside the
/// result lists (Key, Name, Kind, Version, Hash, Id, Type, Message, Detail) are unverified and
/// read case-insensitively.
/// </summary>
public static class ServiceCenterSoapWire
{
    public const string Path = "ServiceCenter/PlatformServices_v8_0_0.asmx";
    public const string StagingPath = "ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption";
    public static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    public const string ModulesGet = "Modules_Get";
    public const string ModuleGetVersions = "Module_GetVersions";
    public const string PublishWith2StepOption = "SolutionPack_PublishWith2StepOption";
    public const string GetPublishMessages = "SolutionPack_GetPublishMessages";
    public const string PublishContinue = "SolutionPack_PublishContinue";
    public const string PublishAbort = "SolutionPack_PublishAbort";

    /// <summary>Type of the message that ends stage one of a two-step publication (then continue or abort).</summary>
    public const string PublishStop = "PublishStop";

    /// <summary>The request envelope: user and password first, then the arguments in order, named as the WSDL names them.</summary>
    public static string BuildEnvelope(ServiceCenterOperation operation, string userName, string password, params string[] arguments)
    {
        var ns = operation.Request.Namespace;
        var values = new[] { userName, password }.Concat(arguments).ToArray();
        var body = new XElement(operation.Request, values.Select((v, i) => new XElement(ns + operation.Input(i), v)));
        var envelope = new XElement(Soap12 + "Envelope", new XAttribute(XNamespace.Xmlns + "soap12", Soap12.NamespaceName), new XElement(Soap12 + "Body", body));
        return envelope.ToString(SaveOptions.DisableFormatting);
    }

    public static MediaTypeHeaderValue ContentType(ServiceCenterOperation operation)
    {
        var type = new MediaTypeHeaderValue("application/soap+xml") { CharSet = "utf-8" };
        type.Parameters.Add(new NameValueHeaderValue("action", $"\"{operation.SoapAction}\""));
        return type;
    }

    public static HttpContent Content(string envelope, ServiceCenterOperation operation)
    {
        var content = new StringContent(envelope, Encoding.UTF8);
        content.Headers.ContentType = ContentType(operation);
        return content;
    }

    public static string Bool(bool value) => value ? "true" : "false";
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The response element the WSDL names, or null when the body is not one.</summary>
    public static XElement? ResponseElement(string xml, ServiceCenterOperation operation)
    {
        try
        {
            return XDocument.Parse(xml).Descendants(operation.Response).FirstOrDefault();
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

    /// <summary>Out value <paramref name="position"/> of the response (0 = the result), by the WSDL's name.</summary>
    public static XElement? Output(XElement response, ServiceCenterOperation operation, int position) =>
        operation.Output(position) is { } name ? response.Element(operation.Response.Namespace + name) : null;

    /// <summary>Module_GetVersions is the only method with errorCode and errorMessage (its out values 2 and 3).</summary>
    public static (int Code, string Message) ModuleVersionsError(XElement response, ServiceCenterOperation operation) =>
        (int.TryParse(Output(response, operation, 2)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : 0,
         Output(response, operation, 3)?.Value ?? "");

    private static string? Field(XElement item, string name) =>
        item.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static IEnumerable<XElement> Items(XElement? result) => result?.Elements() ?? [];

    private static long Long(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static List<PublishMessage> ReadMessageList(XElement? result) =>
        Items(result).Select(m => new PublishMessage
        {
            Id = Long(Field(m, "Id")),
            Type = Field(m, "Type") ?? "Info",
            Message = Field(m, "Message") ?? "",
            Detail = Field(m, "Detail"),
        }).ToList();

    /// <summary>The publish call answers with messages (the result) and an out publishId; 0 means it was refused.</summary>
    public static (long PublishId, List<PublishMessage> Messages) ReadPublish(XElement response, ServiceCenterOperation operation) =>
        (Long(Output(response, operation, 1)?.Value), ReadMessageList(Output(response, operation, 0)));

    /// <summary>Messages (the result), out lastMessageId and out finished; a PublishStop message means stage one is done.</summary>
    public static PublishMessagesPage ReadMessages(XElement response, ServiceCenterOperation operation)
    {
        var messages = ReadMessageList(Output(response, operation, 0));
        var finished = string.Equals(Output(response, operation, 2)?.Value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return new PublishMessagesPage
        {
            Messages = messages,
            LastMessageId = Long(Output(response, operation, 1)?.Value),
            Finished = finished,
            Status = finished ? null
                : messages.Any(m => string.Equals(m.Type, PublishStop, StringComparison.OrdinalIgnoreCase)) ? DeploymentStatuses.NeedsUserIntervention
                : DeploymentStatuses.Running,
        };
    }

    public static List<ServiceCenterModule> ReadModules(XElement response, ServiceCenterOperation operation) =>
        Items(Output(response, operation, 0)).Select(m => new ServiceCenterModule
        {
            Key = Field(m, "Key") ?? "",
            Name = Field(m, "Name") ?? "",
            Kind = Field(m, "Kind") ?? "eSpace",
            PublishedVersion = int.TryParse(Field(m, "PublishedVersion"), out var v) ? v : null,
        }).ToList();

    public static ServiceCenterModuleVersions ReadModuleVersions(XElement response, ServiceCenterOperation operation, string moduleKey) => new()
    {
        ModuleKey = moduleKey,
        PublishedVersion = int.TryParse(Output(response, operation, 1)?.Value, out var p) ? p : null,
        Versions = Items(Output(response, operation, 0)).Select(v => new ServiceCenterModuleVersion
        {
            Version = int.TryParse(Field(v, "Version"), out var n) ? n : 0,
            CreatedOn = DateTimeOffset.TryParse(Field(v, "CreatedOn"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : null,
            Hash = Field(v, "Hash"),
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
