using System.Management.Automation;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Cmdlets.Database;

/// <summary>Remove-OsDatabaseBackup: retention for scheduled backups; removes only backups this module wrote.</summary>
[Cmdlet(VerbsCommon.Remove, "OsDatabaseBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(BackupResult))]
public sealed class RemoveOsDatabaseBackupCommand : DatabaseSafetyCmdlet
{
    /// <summary>The backup folder(s); by position after the instance (SQL Server) or first (SQLite).</summary>
    [Parameter(Position = 1, ParameterSetName = SqlServerSet)]
    [Parameter(Position = 0, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int KeepLast { get; set; }

    [Parameter]
    public TimeSpan OlderThan { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(OlderThan)) && OlderThan <= TimeSpan.Zero)
        {
            ThrowInvalid("InvalidRetentionAge", OsErrorCategory.InvalidArgument, "-OlderThan must be a positive age.", OlderThan,
                "Give an age such as (New-TimeSpan -Days 14) or '14.00:00:00'.");
        }
        var options = new RetentionOptions
        {
            Path = ResolvePaths(Path),
            KeepLast = bound.ContainsKey(nameof(KeepLast)) ? KeepLast : null,
            OlderThan = bound.ContainsKey(nameof(OlderThan)) ? OlderThan : null,
        };
        ForEachTarget(target =>
        {
            var candidates = Engine((service, _, stop) => service.SelectForRemoval(target, options, stop));
            WriteVerbose($"{candidates.Count} backups of {target.DisplayName} fall outside the retention rule.");
            foreach (var backup in candidates)
            {
                if (!ShouldProcess(string.Join(", ", backup.FilePath), $"Remove the backup of {backup.Database} taken {backup.Start:u}")) continue;
                if (TryEngine((_, reporter, _) => DatabaseBackupService.RemoveBackup(target, backup, reporter), out var removed) && removed) WriteObject(backup);
            }
        });
    }
}
