using System.Management.Automation;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>Get-OsDatabaseBackup: full backups of a database, newest first (msdb, or SQLite metadata files).</summary>
[Cmdlet(VerbsCommon.Get, "OsDatabaseBackup", DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(BackupResult))]
public sealed class GetOsDatabaseBackupCommand : DatabaseSafetyCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    public DateTime Since { get; set; }

    /// <summary>
    /// The newest N backups of each database. Alias Last: scripts written before the rename keep
    /// working; the new name avoids dbatools' -Last, which is a switch (the last backup chain).
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    [Alias("Last")]
    public int Newest { get; set; }

    /// <summary>The newest full backup of each database, as dbatools' -LastFull (OsRollback takes full backups only).</summary>
    [Parameter]
    public SwitchParameter LastFull { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter IncludeCopyOnly { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        if (LastFull.IsPresent && bound.ContainsKey(nameof(Newest)))
            ThrowInvalid("BackupCountAmbiguous", OsErrorCategory.InvalidArgument, "-LastFull and -Newest both say how many backups to list.", Newest,
                "Give -LastFull (the newest full backup) or -Newest N, not both.");
        var query = new BackupHistoryQuery
        {
            Path = ResolvePaths(Path),
            Since = bound.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since.ToUniversalTime()) : null,
            Last = LastFull.IsPresent ? 1 : bound.ContainsKey(nameof(Newest)) ? Newest : null,
            IncludeCopyOnly = IncludeCopyOnly.IsPresent,
        };
        ForEachTarget(target =>
        {
            foreach (var backup in Engine((service, _, stop) => service.GetHistory(target, query, stop))) WriteObject(backup);
        });
    }
}
