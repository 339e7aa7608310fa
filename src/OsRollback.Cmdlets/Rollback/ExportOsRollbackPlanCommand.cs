using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Export-OsRollbackPlan: writes a plan as JSON (input to Invoke-OsRollback), or its decision document as Markdown (approval, pipeline summary) or HTML (for the customer).</summary>
[Cmdlet(VerbsData.Export, "OsRollbackPlan", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportOsRollbackPlanCommand : OsCmdlet
{
    /// <summary>The plan: the object from New-OsRollbackPlan or a JSON plan file.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [RollbackPlanTransformation]
    public RollbackPlanReference Plan { get; set; } = null!;

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Json, Markdown or Html; default from the extension: .md Markdown, .html/.htm Html, else Json.</summary>
    [Parameter]
    [ValidateSet("Json", "Markdown", "Html", IgnoreCase = true)]
    public string? Format { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var plan = Run(_ => Plan.Resolve());
        var target = GetUnresolvedProviderPathFromPSPath(Path);
        var format = Format is not null ? Enum.Parse<PlanFormat>(Format, ignoreCase: true) : FormatOf(target);
        Run(_ => OutputFile.EnsureWritable(target, "-Path"));
        if (File.Exists(target) && !Force)
        {
            ThrowInvalid("RollbackPlanFileExists", OsErrorCategory.ResourceExists, $"The file '{target}' already exists.", target, "Use -Force to overwrite it, or choose another -Path.");
        }
        if (!ShouldProcess(target, $"Write the {plan.Strategy} rollback plan of {plan.Environment} as {format}")) return;
        Run(_ => RollbackPlanFile.Write(plan, target, format));
        WriteObject(InvokeProvider.Item.Get([target], true, true), true); // the FileInfo as Get-Item shows it (PSParentPath and all)
    }

    private static PlanFormat FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => PlanFormat.Markdown,
        ".html" or ".htm" => PlanFormat.Html,
        _ => PlanFormat.Json,
    };
}
