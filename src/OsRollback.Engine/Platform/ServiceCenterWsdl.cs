using System.Xml;
using System.Xml.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>
/// One operation of PlatformServices as its WSDL describes it: the request and response
/// element names, the parameter element names in order (user, password, then the arguments)
/// and the response's element names in order (the result first, then the out values).
/// </summary>
public sealed record ServiceCenterOperation(string Name, string SoapAction, XName Request, IReadOnlyList<string> Inputs, XName Response, IReadOnlyList<string> Outputs)
{
    /// <summary>The name of input <paramref name="position"/> (0 = user, 1 = password).</summary>
    public string Input(int position) => position < Inputs.Count ? Inputs[position]
        : throw ServiceCenterWsdl.Mismatch($"{Name} takes {Inputs.Count} parameters in this Service Center's WSDL; OsRollback sends {position + 1}.");

    /// <summary>The name of output <paramref name="position"/> (0 = the result), or null when the WSDL has fewer.</summary>
    public string? Output(int position) => position < Outputs.Count ? Outputs[position] : null;
}

/// <summary>
/// The PlatformServices contract read from the service's own WSDL
/// (<c>PlatformServices_v8_0_0.asmx?WSDL</c>), which is what OutSystems.SetupTools' web service
/// proxy reads. The client passes arguments by position, in the order SetupTools calls them,
/// and takes every element name and the namespace from here, so no element name is guessed.
/// </summary>
public sealed class ServiceCenterWsdl
{
    public const string WsdlQuery = "?WSDL";
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    private static readonly XNamespace Soap12Binding = "http://schemas.xmlsoap.org/wsdl/soap12/";
    private static readonly XNamespace Soap11Binding = "http://schemas.xmlsoap.org/wsdl/soap/";

    private readonly Dictionary<string, ServiceCenterOperation> _operations;

    private ServiceCenterWsdl(string targetNamespace, Dictionary<string, ServiceCenterOperation> operations)
    {
        TargetNamespace = targetNamespace;
        _operations = operations;
    }

    public string TargetNamespace { get; }
    public IReadOnlyCollection<string> OperationNames => _operations.Keys;

    /// <summary>The operation, or an error saying this Service Center does not offer it.</summary>
    public ServiceCenterOperation Operation(string name) => _operations.TryGetValue(name, out var operation) ? operation
        : throw new OsRollbackException("ServiceCenterOperationMissing", OsErrorCategory.InvalidOperation,
            $"This Service Center's PlatformServices WSDL has no operation {name}.", name,
            "Check the platform version: OsRollback needs PlatformServices v8 (OutSystems 11).");

    /// <summary>Reads a document/literal WSDL 1.1 (SOAP 1.2 binding preferred for the SOAP actions).</summary>
    public static ServiceCenterWsdl Parse(string text)
    {
        XDocument document;
        try { document = XDocument.Parse(text); }
        catch (XmlException ex) { throw Mismatch("Its WSDL is not well-formed XML: " + ex.Message); }
        var definitions = document.Root is { } root && root.Name == Wsdl + "definitions" ? root : throw Mismatch("Its WSDL has no wsdl:definitions root.");
        var targetNamespace = (string?)definitions.Attribute("targetNamespace") ?? "";
        var elements = definitions.Elements(Wsdl + "types").Elements(Xsd + "schema")
            .SelectMany(schema => schema.Elements(Xsd + "element").Select(e => (Namespace: (string?)schema.Attribute("targetNamespace") ?? targetNamespace, Element: e)))
            .GroupBy(x => (string?)x.Element.Attribute("name") ?? "")
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var messages = definitions.Elements(Wsdl + "message").ToDictionary(m => (string?)m.Attribute("name") ?? "", StringComparer.Ordinal);
        var actions = definitions.Elements(Wsdl + "binding")
            .OrderBy(b => b.Element(Soap12Binding + "binding") is null ? 1 : 0)
            .SelectMany(b => b.Elements(Wsdl + "operation"))
            .Select(o => (Name: (string?)o.Attribute("name") ?? "", Action: (string?)(o.Element(Soap12Binding + "operation") ?? o.Element(Soap11Binding + "operation"))?.Attribute("soapAction")))
            .Where(x => x.Action is not null)
            .GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().Action!, StringComparer.Ordinal);

        var operations = new Dictionary<string, ServiceCenterOperation>(StringComparer.Ordinal);
        foreach (var operation in definitions.Elements(Wsdl + "portType").Take(1).Elements(Wsdl + "operation"))
        {
            var name = (string?)operation.Attribute("name") ?? "";
            var request = Part(operation.Element(Wsdl + "input"));
            var response = Part(operation.Element(Wsdl + "output"));
            if (request is null || response is null) continue;
            operations[name] = new ServiceCenterOperation(name, actions.GetValueOrDefault(name) ?? $"{targetNamespace.TrimEnd('/')}/{name}",
                request.Value.Name, request.Value.Children, response.Value.Name, response.Value.Children);
        }
        if (operations.Count == 0) throw Mismatch("Its WSDL describes no operations.");
        return new ServiceCenterWsdl(targetNamespace, operations);

        (XName Name, IReadOnlyList<string> Children)? Part(XElement? io)
        {
            var message = LocalName((string?)io?.Attribute("message"));
            if (message is null || !messages.TryGetValue(message, out var definition)) return null;
            var element = LocalName((string?)definition.Element(Wsdl + "part")?.Attribute("element"));
            if (element is null || !elements.TryGetValue(element, out var schemaElement)) return null;
            var children = schemaElement.Element.Descendants(Xsd + "sequence").Take(1).Elements(Xsd + "element")
                .Select(e => (string?)e.Attribute("name") ?? "").ToList();
            return (XName.Get(element, schemaElement.Namespace), children);
        }
    }

    internal static OsRollbackException Mismatch(string message) => new("ServiceCenterWsdlInvalid", OsErrorCategory.InvalidResult,
        "Service Center's PlatformServices contract cannot be used: " + message, null,
        "Check that the address points at the environment's Service Center (OutSystems 11) and that /ServiceCenter/PlatformServices_v8_0_0.asmx?WSDL opens.");

    private static string? LocalName(string? qualified) => qualified is null ? null : qualified[(qualified.IndexOf(':') + 1)..];
}
