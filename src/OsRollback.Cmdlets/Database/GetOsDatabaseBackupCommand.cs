using System.Management.Automation;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>
/// Get-OsDatabaseBackup: full backups of a database, newest first (msdb, or SQLite metadata files);
/// an instance without a database lists every user database on it, as Get-DbaDbBackupHistory does.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OsDatabaseBackup", DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(BackupResult))]
public sealed class GetOsDatabaseBackupCommand : DatabaseSafetyCmdlet
{
    /// <summary>The backup folder(s); by position after the instance (SQL Server) or first (SQLite).</summary>
    [Parameter(Position = 1, ParameterSetName = SqlServerSet)]
    [Parameter(Position = 0, ParameterSetName = SqliteSet)]
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
        ForEachItem(item =>
        {
            // Targets are built here, on the pipeline thread (paths resolve against the session's location).
            var history = item.InstanceWithoutDatabase is { } instance
                ? AllDatabases(InstanceTarget(instance), query)
                : OneDatabase(item.Target(), query);
            foreach (var backup in history) WriteObject(backup);
        });
    }

    private IReadOnlyList<BackupResult> OneDatabase(DatabaseTarget target, BackupHistoryQuery query) =>
        Engine((service, _, stop) => service.GetHistory(target, query, stop));

    /// <summary>No database named: every user database on the instance, as Get-DbaDbBackupHistory without -Database.</summary>
    private IReadOnlyList<BackupResult> AllDatabases(DatabaseTarget instance, BackupHistoryQuery query) =>
        Engine((service, _, stop) => service.EngineFor(instance).InstanceHistory?.GetInstanceHistory(instance, query, stop))
        ?? throw new OsRollbackException("DatabaseNameRequired", OsErrorCategory.InvalidArgument,
            $"No database was named on {instance.DisplayName}, and its engine cannot list the backups of all its databases.", instance.DisplayName,
            "Give -Database.");
}
