using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Schema;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// Import-OsDataDelta: validates the whole delta, takes a verified safety backup, then applies
/// each lost change where production still equals the base, in one transaction, parents first;
/// conflicts are left alone unless -OverwriteConflicts.
/// </summary>
[Cmdlet(VerbsData.Import, "OsDataDelta", DefaultParameterSetName = SqlServerSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
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

    /// <summary>Import a delta written before deltas were sealed: nothing proves it is the file that was exported.</summary>
    [Parameter]
    public SwitchParameter AllowUnsealedDelta { get; set; }

    /// <summary>Import into a database other than the one the delta was exported for (never another environment's platform database).</summary>
    [Parameter]
    public SwitchParameter AllowOtherDatabase { get; set; }

    /// <summary>The rollback point catalog (default OSROLLBACK_HOME, else ~/.osrollback): the base and the environments of databases.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

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
            + (OverwriteConflicts.IsPresent ? ", OVERWRITING rows that conflict with production (changed since the restore)" : ", leaving rows production changed since the restore alone (conflicts)");
        if (!ShouldProcess(target.DisplayName, action)) return;
        var catalog = Rollback.RollbackInputs.Catalog(this, CatalogPath);
        var results = Run(reporter => DataDeltaImporter.Import(target, path, new DataDeltaImportOptions
        {
            AllowUnsealed = AllowUnsealedDelta.IsPresent,
            AllowOtherDatabase = AllowOtherDatabase.IsPresent,
            Base = DataDeltaCatalogFacts.Base(catalog, header, reporter),
            TargetEnvironment = DataDeltaCatalogFacts.EnvironmentOf(catalog, target, reporter),
            Tables = Table,
            IncludeDeletes = IncludeDeletes.IsPresent,
            OverwriteConflicts = OverwriteConflicts.IsPresent,
            SafetyBackupPath = SafetyBackupPath is null ? null : GetUnresolvedProviderPathFromPSPath(SafetyBackupPath),
            SafetyBackupDirectory = SafetyBackupDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(SafetyBackupDirectory),
        }, reporter, StopToken));
        foreach (var result in results) WriteObject(result);
    }
}
