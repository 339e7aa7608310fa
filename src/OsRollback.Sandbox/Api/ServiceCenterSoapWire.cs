using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// The Service Center SOAP wire (SOAP 1.2 envelope; element names and namespace of the
/// configured <see cref="ServiceCenterDialect"/>, which its WSDL publishes). Everything about the
/// XML lives here and in the dialect, so a platform difference is a small change.
/// </summary>
public static class ServiceCenterSoapWire
{
    public const string SoapPath = "/ServiceCenter/PlatformServices_v8_0_0.asmx";
    public const string StagingPath = "/ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption";
    public static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    /// <summary>The namespace of the Classic dialect.</summary>
    public static readonly XNamespace OutSystems = ServiceCenterDialect.Classic.Namespace;
    public const string ContentType = "application/soap+xml; charset=utf-8";

    /// <summary>A parsed call: the method, its arguments by element name, and the dialect that names them.</summary>
    public sealed record Call(string Method, IReadOnlyDictionary<string, string> Arguments, ServiceCenterDialect Dialect)
    {
        public ServiceCenterDialect.Method? Definition => Dialect.Find(Method);
        /// <summary>Argument <paramref name="position"/> after user and password, by the dialect's name.</summary>
        public string Argument(int position) =>
            Definition is { } d && position < d.Parameters.Length && Arguments.TryGetValue(d.Parameters[position], out var value) ? value : "";
        public string User => Arguments.TryGetValue(Dialect.User, out var value) ? value : "";
        public string Password => Arguments.TryGetValue(Dialect.Password, out var value) ? value : "";
    }

    /// <summary>Reads a SOAP 1.2 request; throws <see cref="FormatException"/> when it is not one in this dialect.</summary>
    public static Call ReadRequest(string xml, ServiceCenterDialect dialect)
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
        if (method.Name.Namespace != dialect.Namespace) throw new FormatException($"The method element must be in the namespace {dialect.Namespace}.");
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in method.Elements())
        {
            if (element.Name.Namespace != dialect.Namespace) throw new FormatException($"Parameter {element.Name.LocalName} must be in the namespace {dialect.Namespace}.");
            arguments[element.Name.LocalName] = element.Value;
        }
        var call = new Call(method.Name.LocalName, arguments, dialect);
        if (call.Definition is { } definition)
        {
            var unknown = arguments.Keys.Except(new[] { dialect.User, dialect.Password }.Concat(definition.Parameters)).ToList();
            if (unknown.Count > 0) throw new FormatException($"{definition.Name} has no parameter {string.Join(", ", unknown)}.");
        }
        return call;
    }

    /// <summary>A response: &lt;MethodResponse&gt; with the result list (when the method has one) and the out values in order.</summary>
    public static string Response(Call call, IEnumerable<XElement>? result, params object[] outValues)
    {
        var definition = call.Definition!;
        var ns = call.Dialect.Namespace;
        var response = new XElement(ns + (definition.Name + "Response"));
        if (definition.HasResult) response.Add(new XElement(ns + ServiceCenterDialect.ResultName(definition), result ?? []));
        for (var i = 0; i < definition.OutValues.Length && i < outValues.Length; i++) response.Add(Value(ns, definition.OutValues[i], outValues[i]));
        return Envelope(response);
    }

    public static string Fault(string code, string reason) => Envelope(new XElement(Soap + "Fault",
        new XElement(Soap + "Code", new XElement(Soap + "Value", "soap12:" + code)),
        new XElement(Soap + "Reason", new XElement(Soap + "Text", new XAttribute(XNamespace.Xml + "lang", "en"), reason))));

    public static XElement Value(XNamespace ns, string name, object value) => new(ns + name, value switch
    {
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value,
    });

    public static XElement PublishMessage(ServiceCenterDialect dialect, int id, string type, string message, string detail) => new(dialect.Namespace + dialect.MessageItem,
        Value(dialect.Namespace, "Id", id), Value(dialect.Namespace, "Type", type), Value(dialect.Namespace, "Message", message), Value(dialect.Namespace, "Detail", detail));

    public static XElement Module(ServiceCenterDialect dialect, string key, string name, string kind, int publishedVersion) => new(dialect.Namespace + dialect.ModuleItem,
        Value(dialect.Namespace, "Key", key), Value(dialect.Namespace, "Name", name), Value(dialect.Namespace, "Kind", kind), Value(dialect.Namespace, "PublishedVersion", publishedVersion));

    public static XElement ModuleVersion(ServiceCenterDialect dialect, int version, string createdOn, string hash) => new(dialect.Namespace + dialect.VersionItem,
        Value(dialect.Namespace, "Version", version), Value(dialect.Namespace, "CreatedOn", createdOn), Value(dialect.Namespace, "Hash", hash));

    public static bool ReadBool(string text) => text.Trim() is "true" or "True" or "1";

    private static string Envelope(XElement content)
    {
        var envelope = new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap12", Soap.NamespaceName), new XElement(Soap + "Body", content));
        return new XDeclaration("1.0", "utf-8", null) + envelope.ToString(SaveOptions.DisableFormatting);
    }
}
