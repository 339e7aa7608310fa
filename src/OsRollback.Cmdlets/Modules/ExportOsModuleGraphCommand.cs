using System.Management.Automation;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Cmdlets.Modules;

/// <summary>
/// Export-OsModuleGraph: writes the module graph to the JSON file Get-OsModuleOrder -Path reads,
/// or draws it by waves as an SVG picture or a Mermaid flowchart; -Application narrows it to the
/// modules of some applications, as Get-OsModuleOrder's does.
/// </summary>
[Cmdlet(VerbsData.Export, "OsModuleGraph", SupportsShouldProcess = true, DefaultParameterSetName = SqliteSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportOsModuleGraphCommand : ModuleGraphInputCmdlet
{
    /// <summary>The JSON file to write.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    /// <summary>Json (default), Svg or Mermaid; without it, taken from the extension (.svg, .mmd/.mermaid, else Json).</summary>
    [Parameter]
    [ValidateSet("Json", "Svg", "Mermaid", IgnoreCase = true)]
    public string? Format { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var target = GetUnresolvedProviderPathFromPSPath(OutFile);
        Run(_ => OutputFile.EnsureWritable(target, "-OutFile"));
        if (File.Exists(target) && !Force)
        {
            ThrowInvalid("ModuleGraphFileExists", OsErrorCategory.ResourceExists,
                $"The file '{target}' already exists.", target, "Use -Force to overwrite it, or choose another -OutFile.");
        }
        var definitions = Run(ReadDefinitions);
        // Validate before writing: an export that Get-OsModuleOrder would refuse is not written.
        var graph = Run(_ => ModuleGraph.Build(definitions));
        // -Application as Get-OsModuleOrder takes it: the same selection, the same UnknownApplication error.
        var selected = Application.Length == 0 ? null
            : Run(reporter => ModuleOrderer.Order(graph, new ModuleOrderRequest { Applications = Application }, reporter));
        if (selected is not null)
        {
            var names = selected.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            definitions = definitions.Where(d => names.Contains(d.Name)).ToList();
        }
        var format = Format ?? System.IO.Path.GetExtension(target).ToLowerInvariant() switch
        {
            ".svg" => "Svg",
            ".mmd" or ".mermaid" => "Mermaid",
            _ => "Json",
        };
        if (!ShouldProcess(target, $"Write {definitions.Count} modules as {format}")) return;
        var title = $"Module dependency graph of {ShortSource()}{(Application.Length == 0 ? "" : $": {(Application.Length == 1 ? "application" : "applications")} {string.Join(", ", Application)}")}";
        Run(_ => OutputFile.Write(target, "-OutFile", writer =>
        {
            switch (format.ToLowerInvariant())
            {
                case "svg":
                    writer.Write(ModuleGraphPicture.Svg(selected ?? ModuleGraphPicture.Entries(definitions), title));
                    break;
                case "mermaid":
                    writer.Write(ModuleGraphPicture.Mermaid(selected ?? ModuleGraphPicture.Entries(definitions)));
                    break;
                default:
                    ModuleGraphJson.Write(writer, definitions, DescribeSource(), DateTimeOffset.UtcNow);
                    break;
            }
        }));
        WriteObject(InvokeProvider.Item.Get([target], true, true), true); // the FileInfo as Get-Item shows it (PSParentPath and all)
    }
}
