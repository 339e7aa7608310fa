using System.Management.Automation;
using OsRollback.Engine.Drift;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// Compare-OsDatabaseData: the OSUSR_* tables of the database now and of the reference
/// (parallel) database, table by table on the primary key, streamed.
/// </summary>
[Cmdlet(VerbsData.Compare, "OsDatabaseData", DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(TableDataDifference), typeof(DataRowDifference))]
public sealed class CompareOsDatabaseDataCommand : TwoDatabaseCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Table { get; set; } = [];

    /// <summary>Also write one object per differing row, before its table's summary.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void EndProcessing()
    {
        var current = GetCurrentTarget();
        var reference = GetReferenceTarget();
        Run(reporter =>
        {
            var comparer = new DataComparer(current, reference, CompareOptions(Table), reporter);
            Action<DataRowDifference>? onRow = Detailed.IsPresent ? row => WriteObject(row) : null;
            foreach (var table in comparer.Compare(onRow, StopToken)) WriteObject(table);
        });
    }
}
