using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// The Service Center wire details the platform contract marks as unverified (SOAP 1.2 envelope,
/// element names of arguments and out values), as docs/sandbox.md "Service Center wire format"
/// fixes them. Everything about the XML lives here, so a platform difference is a one-file change.
/// </summary>
public static class ServiceCenterSoapWire
{
    public const string SoapPath = "/ServiceCenter/PlatformServices_v8_0_0.asmx";
    public const string StagingPath = "/ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption";
    public static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace OutSystems = "http://www.outsystems.com";
    public const string ContentType = "application/soap+xml; charset=utf-8";

    /// <summary>A parsed call: the method name and its arguments by element name.</summary>
    public sealed record Call(string Method, IReadOnlyDictionary<string, string> Arguments)
    {
        public string Argument(string name) => Arguments.TryGetValue(name, out var value) ? value : "";
        public string User => Argument("username");
        public string Password => Argument("password");
    }

    /// <summary>Reads a SOAP 1.2 request; throws <see cref="FormatException"/> when it is not one.</summary>
    public static Call ReadRequest(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException ex)
        {
            throw new FormatException("The request is not well-formed XML: " + ex.Message);
        }
        var body = document.Root?.Element(Soap + "Body") ?? throw new FormatException("The request is not a SOAP 1.2 envelope with a Body.");
        var method = body.Elements().FirstOrDefault() ?? throw new FormatException("The SOAP Body is empty.");
        if (method.Name.Namespace != OutSystems) throw new FormatException($"The method element must be in the namespace {OutSystems}.");
        var arguments = method.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.Ordinal);
        return new Call(method.Name.LocalName, arguments);
    }

    /// <summary>A response: &lt;MethodResponse&gt; with errorCode, errorMessage and the out values given.</summary>
    public static string Response(string method, int errorCode, string errorMessage, params XElement[] values)
    {
        var response = new XElement(OutSystems + (method + "Response"),
            new XElement(OutSystems + "errorCode", errorCode.ToString(CultureInfo.InvariantCulture)),
            new XElement(OutSystems + "errorMessage", errorMessage));
        foreach (var value in values) response.Add(value);
        return Envelope(response);
    }

    public static string Fault(string code, string reason) => Envelope(new XElement(Soap + "Fault",
        new XElement(Soap + "Code", new XElement(Soap + "Value", "soap12:" + code)),
        new XElement(Soap + "Reason", new XElement(Soap + "Text", new XAttribute(XNamespace.Xml + "lang", "en"), reason))));

    public static XElement Value(string name, object value) => new(OutSystems + name, value switch
    {
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value,
    });

    public static XElement PublishMessage(int id, string type, string message, string detail) => new(OutSystems + "PublishMessage",
        Value("Id", id), Value("Type", type), Value("Message", message), Value("Detail", detail));

    public static XElement Module(string key, string name, string kind, int publishedVersion) => new(OutSystems + "Module",
        Value("Key", key), Value("Name", name), Value("Kind", kind), Value("PublishedVersion", publishedVersion));

    public static XElement ModuleVersion(int version, string createdOn, string hash) => new(OutSystems + "ModuleVersion",
        Value("Version", version), Value("CreatedOn", createdOn), Value("Hash", hash));

    public static bool ReadBool(string text) => text.Trim() is "true" or "True" or "1";

    private static string Envelope(XElement content)
    {
        var envelope = new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap12", Soap.NamespaceName), new XElement(Soap + "Body", content));
        return new XDeclaration("1.0", "utf-8", null) + envelope.ToString(SaveOptions.DisableFormatting);
    }
}
