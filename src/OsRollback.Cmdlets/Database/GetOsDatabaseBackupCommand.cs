using System.Management.Automation;
using OsRollback.Engine.Database;

namespace OsRollback.Cmdlets.Database;

/// <summary>Get-OsDatabaseBackup: full backups of a database, newest first (msdb, or SQLite metadata files).</summary>
[Cmdlet(VerbsCommon.Get, "OsDatabaseBackup", DefaultParameterSetName = SqliteSet)]
[OutputType(typeof(BackupResult))]
public sealed class GetOsDatabaseBackupCommand : DatabaseSafetyCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    public DateTime Since { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter IncludeCopyOnly { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        var query = new BackupHistoryQuery
        {
            Path = ResolvePaths(Path),
            Since = bound.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since.ToUniversalTime()) : null,
            Last = bound.ContainsKey(nameof(Last)) ? Last : null,
            IncludeCopyOnly = IncludeCopyOnly.IsPresent,
        };
        ForEachTarget(target =>
        {
            foreach (var backup in Engine((service, _, stop) => service.GetHistory(target, query, stop))) WriteObject(backup);
        });
    }
}
