using System.Management.Automation;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Cmdlets.Drift;

/// <summary>Export-OsDataDelta: the rows lost by the restore, as a reviewable delta file plus a SQL script.</summary>
[Cmdlet(VerbsData.Export, "OsDataDelta", DefaultParameterSetName = SqliteSet, SupportsShouldProcess = true)]
[OutputType(typeof(DataDeltaExportResult))]
public sealed class ExportOsDataDeltaCommand : TwoDatabaseCmdlet
{
    private readonly List<string> _tables = new();

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FilePath", "OutFile")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Table { get; set; } = [];

    /// <summary>Do not write the SQL script beside the delta file.</summary>
    [Parameter]
    public SwitchParameter NoScript { get; set; }

    /// <summary>Overwrite an existing delta file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _tables.AddRange(Table);

    protected override void EndProcessing()
    {
        if (MyInvocation.ExpectingInput && _tables.Count == 0)
        {
            // An empty pipeline (everything filtered out upstream) must not mean "every table".
            WriteWarning("No table came through the pipeline: nothing was exported.");
            return;
        }
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var current = GetCurrentTarget();
        var reference = GetReferenceTarget();
        if (File.Exists(path) && !Force.IsPresent)
            ThrowInvalid("DeltaFileExists", OsErrorCategory.ResourceExists, $"The file '{path}' already exists.", path,
                "Choose another -Path, or add -Force to overwrite it.");
        var scope = _tables.Count == 0 ? "every OSUSR_* table" : string.Join(", ", _tables.Distinct(StringComparer.OrdinalIgnoreCase));
        if (!ShouldProcess(path, $"Write the rows that differ between {current.DisplayName} and {reference.DisplayName} ({scope}) to the delta file{(NoScript.IsPresent ? "" : " and its .sql script")}"))
            return;
        var result = Run(reporter => DataDeltaExporter.Export(current, reference, path, new DataDeltaExportOptions
        {
            Compare = CompareOptions(_tables.Distinct(StringComparer.OrdinalIgnoreCase).ToList()),
            IncludeScript = !NoScript.IsPresent,
        }, reporter, StopToken));
        WriteObject(result);
    }
}
