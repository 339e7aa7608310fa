using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Schema;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// Import-OsDataDelta: applies a delta to production after a verified safety backup, one
/// transaction per table, parents first; conflicting rows are left alone unless
/// -OverwriteConflicts.
/// </summary>
[Cmdlet(VerbsData.Import, "OsDataDelta", DefaultParameterSetName = SqliteSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DataDeltaImportResult))]
public sealed class ImportOsDataDeltaCommand : OsDatabaseCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FilePath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Table { get; set; } = [];

    [Parameter]
    public SwitchParameter IncludeDeletes { get; set; }

    [Parameter]
    public SwitchParameter OverwriteConflicts { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SafetyBackupPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SafetyBackupDirectory { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var target = GetDatabaseTarget();
        var header = Run(_ => DataDeltaFile.ReadHeader(path));
        var tables = header.Tables.Where(t => SqlNames.MatchesAny(t.Table, Table)).ToList();
        var action = $"Import {tables.Sum(t => t.Inserted)} inserted and {tables.Sum(t => t.Changed)} changed rows"
            + (IncludeDeletes.IsPresent ? $" and {tables.Sum(t => t.Deleted)} deletes" : "")
            + $" into {tables.Count} tables ({string.Join(", ", tables.Select(t => t.Table))}) from {path}, "
            + (SafetyBackupPath is null ? "after taking a verified safety backup" : $"with the safety backup {SafetyBackupPath}")
            + (OverwriteConflicts.IsPresent ? ", OVERWRITING rows changed in production since the export" : ", leaving rows changed in production since the export alone");
        if (!ShouldProcess(target.DisplayName, action)) return;
        var results = Run(reporter => DataDeltaImporter.Import(target, path, new DataDeltaImportOptions
        {
            Tables = Table,
            IncludeDeletes = IncludeDeletes.IsPresent,
            OverwriteConflicts = OverwriteConflicts.IsPresent,
            SafetyBackupPath = SafetyBackupPath is null ? null : GetUnresolvedProviderPathFromPSPath(SafetyBackupPath),
            SafetyBackupDirectory = SafetyBackupDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(SafetyBackupDirectory),
        }, reporter, StopToken));
        foreach (var result in results) WriteObject(result);
    }
}
