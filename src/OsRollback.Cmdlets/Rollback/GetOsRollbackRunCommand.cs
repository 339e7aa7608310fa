using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Get-OsRollbackRun: lists past rollback runs and drills, newest first, with the users' outage
/// and every step's time, read from the journals Invoke-OsRollback wrote (runs/&lt;plan id&gt; in
/// each rollback point). Reads only.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OsRollbackRun", DefaultParameterSetName = "Catalog")]
[OutputType(typeof(RollbackRunRecord))]
public sealed class GetOsRollbackRunCommand : OsCmdlet
{
    private readonly List<string> _runFolders = [];

    /// <summary>Only runs of this environment.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Only runs of this strategy. A string (not the engine enum), see New-OsRollbackPlan -Strategy.</summary>
    [Parameter]
    [ValidateSet("LifeTime", "Solution", "Module", "Database", IgnoreCase = true)]
    public string? Strategy { get; set; }

    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter(ParameterSetName = "Catalog")]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>A run folder, a rollback point folder (its runs) or a catalog folder; a rollback point from Get-OsRollbackPoint pipes here by its Path.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName != "Path") return;
        foreach (var given in Path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(given);
            if (!Directory.Exists(full))
            {
                WriteOsError(new OsRollbackException("RollbackRunPathNotFound", OsErrorCategory.ObjectNotFound,
                    $"The folder '{full}' does not exist.", given, "Give -Path a run folder (<rollback point>/runs/<plan id>), a rollback point folder or a catalog folder."));
                continue;
            }
            if (RollbackRunHistory.RunFoldersUnder(full) is { } folders) _runFolders.AddRange(folders);
            else
            {
                WriteOsError(new OsRollbackException("RollbackRunPathInvalid", OsErrorCategory.InvalidArgument,
                    $"'{full}' is neither a rollback run (journal.jsonl), a rollback point (runs/) nor a catalog (rollback-points/).", given,
                    "Give -Path a run folder (<rollback point>/runs/<plan id>), a rollback point folder or a catalog folder; without -Path the catalog's runs are listed."));
            }
        }
    }

    protected override void EndProcessing()
    {
        var listing = ParameterSetName == "Path"
            ? Run(_ => RollbackRunHistory.Read(_runFolders.Distinct()))
            : Run(_ => RollbackRunHistory.OfCatalog(RollbackInputs.Catalog(this, CatalogPath)));
        foreach (var problem in listing.Unreadable) WriteOsError(problem);
        var strategy = Strategy is null ? (RollbackStrategy?)null : Enum.Parse<RollbackStrategy>(Strategy, ignoreCase: true);
        foreach (var run in RollbackRunHistory.Where(listing.Runs, Environment, strategy)) WriteObject(run);
    }
}
