using System.Xml.Linq;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// The element names and namespace one Service Center speaks, and the WSDL that publishes them.
/// OutSystems does not document them; the sandbox offers two dialects that differ in every
/// parameter and out-value name (and in the namespace), so a test proves the client takes its
/// names from the WSDL. Methods, argument order and out values follow OutSystems.SetupTools.
/// </summary>
public sealed class ServiceCenterDialect
{
    /// <summary>A method: its parameter names after user and password, and its out values after the result.</summary>
    public sealed record Method(string Name, string[] Parameters, string[] OutValues, bool HasResult = true);

    public required string Name { get; init; }
    public required XNamespace Namespace { get; init; }
    public required string User { get; init; }
    public required string Password { get; init; }
    public required IReadOnlyList<Method> Methods { get; init; }
    /// <summary>Element names of one item in the result lists (module, module version, publish message).</summary>
    public required string ModuleItem { get; init; }
    public required string VersionItem { get; init; }
    public required string MessageItem { get; init; }

    public Method? Find(string name) => Methods.FirstOrDefault(m => m.Name == name);

    /// <summary>Names as the sandbox always used them (docs/sandbox.md).</summary>
    public static readonly ServiceCenterDialect Classic = new()
    {
        Name = "Classic", Namespace = "http://www.outsystems.com", User = "username", Password = "password",
        ModuleItem = "Module", VersionItem = "ModuleVersion", MessageItem = "PublishMessage",
        Methods =
        [
            new("Modules_Get", [], []),
            new("Module_GetVersions", ["moduleKey"], ["publishedVersion", "errorCode", "errorMessage"]),
            new("SolutionPack_PublishWith2StepOption", ["solutionPack", "twoStepMode"], ["publishId"]),
            new("SolutionPack_GetPublishMessages", ["publishId", "afterMessageId"], ["lastMessageId", "finished"]),
            new("SolutionPack_PublishContinue", ["publishId"], [], HasResult: false),
            new("SolutionPack_PublishAbort", ["publishId"], [], HasResult: false),
        ],
    };

    /// <summary>Another naming of the same methods: every parameter and out value named differently, another namespace.</summary>
    public static readonly ServiceCenterDialect Alternate = new()
    {
        Name = "Alternate", Namespace = "http://www.outsystems.com/PlatformServices/v8", User = "ssUser", Password = "ssPassword",
        ModuleItem = "CS_Module", VersionItem = "CS_ModuleVersion", MessageItem = "CS_PublishMessage",
        Methods =
        [
            new("Modules_Get", [], []),
            new("Module_GetVersions", ["ssModuleKey"], ["ssPublishedVersion", "ssErrorCode", "ssErrorMessage"]),
            new("SolutionPack_PublishWith2StepOption", ["ssSolution", "ssTwoStepMode"], ["ssPublishId"]),
            new("SolutionPack_GetPublishMessages", ["ssPublishId", "ssAfterMessageId"], ["ssLastMessageId", "ssFinished"]),
            new("SolutionPack_PublishContinue", ["ssPublishId"], [], HasResult: false),
            new("SolutionPack_PublishAbort", ["ssPublishId"], [], HasResult: false),
        ],
    };

    public static ServiceCenterDialect Named(string? name) =>
        string.Equals(name, Alternate.Name, StringComparison.OrdinalIgnoreCase) ? Alternate : Classic;

    public static string ResultName(Method method) => method.Name + "Result";

    /// <summary>A document/literal WSDL 1.1 with a SOAP 1.2 binding, as ASP.NET web services publish it.</summary>
    public string Wsdl(string location)
    {
        XNamespace wsdl = "http://schemas.xmlsoap.org/wsdl/", xs = "http://www.w3.org/2001/XMLSchema", soap12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
        XElement Field(string name, string type) => new(xs + "element", new XAttribute("minOccurs", 0), new XAttribute("maxOccurs", 1), new XAttribute("name", name), new XAttribute("type", type));
        XElement Sequence(string name, IEnumerable<XElement> fields) => new(xs + "element", new XAttribute("name", name), new XElement(xs + "complexType", new XElement(xs + "sequence", fields)));
        var schema = new XElement(xs + "schema", new XAttribute("elementFormDefault", "qualified"), new XAttribute("targetNamespace", Namespace.NamespaceName));
        foreach (var method in Methods)
        {
            schema.Add(Sequence(method.Name, new[] { Field(User, "s:string"), Field(Password, "s:string") }.Concat(method.Parameters.Select(p => Field(p, "s:string")))));
            var outputs = (method.HasResult ? [Field(ResultName(method), "tns:ArrayOfItem")] : Array.Empty<XElement>()).Concat(method.OutValues.Select(o => Field(o, "s:string")));
            schema.Add(Sequence(method.Name + "Response", outputs));
        }
        var definitions = new XElement(wsdl + "definitions",
            new XAttribute("targetNamespace", Namespace.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsdl", wsdl.NamespaceName), new XAttribute(XNamespace.Xmlns + "s", xs.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "soap12", soap12.NamespaceName), new XAttribute(XNamespace.Xmlns + "tns", Namespace.NamespaceName),
            new XElement(wsdl + "types", schema));
        foreach (var method in Methods)
        {
            definitions.Add(new XElement(wsdl + "message", new XAttribute("name", method.Name + "SoapIn"), new XElement(wsdl + "part", new XAttribute("name", "parameters"), new XAttribute("element", "tns:" + method.Name))));
            definitions.Add(new XElement(wsdl + "message", new XAttribute("name", method.Name + "SoapOut"), new XElement(wsdl + "part", new XAttribute("name", "parameters"), new XAttribute("element", "tns:" + method.Name + "Response"))));
        }
        definitions.Add(new XElement(wsdl + "portType", new XAttribute("name", "PlatformServicesSoap"), Methods.Select(m => new XElement(wsdl + "operation", new XAttribute("name", m.Name),
            new XElement(wsdl + "input", new XAttribute("message", "tns:" + m.Name + "SoapIn")), new XElement(wsdl + "output", new XAttribute("message", "tns:" + m.Name + "SoapOut"))))));
        definitions.Add(new XElement(wsdl + "binding", new XAttribute("name", "PlatformServicesSoap12"), new XAttribute("type", "tns:PlatformServicesSoap"),
            new XElement(soap12 + "binding", new XAttribute("transport", "http://schemas.xmlsoap.org/soap/http")),
            Methods.Select(m => new XElement(wsdl + "operation", new XAttribute("name", m.Name),
                new XElement(soap12 + "operation", new XAttribute("soapAction", $"{Namespace.NamespaceName.TrimEnd('/')}/{m.Name}"), new XAttribute("style", "document")),
                new XElement(wsdl + "input", new XElement(soap12 + "body", new XAttribute("use", "literal"))),
                new XElement(wsdl + "output", new XElement(soap12 + "body", new XAttribute("use", "literal")))))));
        definitions.Add(new XElement(wsdl + "service", new XAttribute("name", "PlatformServices"),
            new XElement(wsdl + "port", new XAttribute("name", "PlatformServicesSoap12"), new XAttribute("binding", "tns:PlatformServicesSoap12"),
                new XElement(soap12 + "address", new XAttribute("location", location)))));
        return new XDeclaration("1.0", "utf-8", null) + definitions.ToString();
    }
}
