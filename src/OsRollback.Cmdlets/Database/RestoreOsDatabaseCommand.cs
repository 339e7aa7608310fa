using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>
/// Restore-OsDatabase: restores a backup under another name, or over the original with a verified safety backup.
/// ConfirmImpact is Medium so that a restore under a new name does not prompt; replacing a database
/// prompts as a High-impact action would (see <see cref="ConfirmReplace"/>).
/// </summary>
[Cmdlet(VerbsData.Restore, "OsDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(RestoreResult), typeof(string))]
public sealed class RestoreOsDatabaseCommand : DatabaseSafetyCmdlet
{
    /// <summary>The backup file(s); by position after the instance (SQL Server) or first (SQLite).</summary>
    [Parameter(Position = 1, ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Position = 0, ParameterSetName = SqliteSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    public string[] FilePath { get; set; } = [];

    /// <summary>Azure SQL Database: the copy made by Backup-OsDatabase, which becomes the database.</summary>
    [Parameter(ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
    [AllowNull, AllowEmptyString]
    public string? CopyDatabaseName { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? DatabaseName { get; set; }

    [Parameter]
    public SwitchParameter WithReplace { get; set; }

    /// <summary>Replace a database with a backup of a different one.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? DestinationDataDirectory { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? DestinationLogDirectory { get; set; }

    [Parameter]
    public BackupResult? SafetyBackup { get; set; }

    [Parameter]
    public TimeSpan SafetyBackupMaxAge { get; set; } = TimeSpan.FromHours(1);

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SafetyBackupPath { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter OutputScriptOnly { get; set; }

    private bool _yesToAll;
    private bool _noToAll;

    protected override void ProcessRecord()
    {
        var files = ResolvePaths(FilePath.Where(f => !string.IsNullOrEmpty(f)));
        var copy = files.Length == 0 && !string.IsNullOrEmpty(CopyDatabaseName) ? CopyDatabaseName : null;
        if (files.Length == 0 && copy is null)
        {
            ThrowInvalid("BackupFileRequired", OsErrorCategory.InvalidArgument, "No backup was given.", string.Join(", ", SqlitePath.Concat(Database)),
                "Give -FilePath, or pipe the output of Backup-OsDatabase or Get-OsDatabaseBackup.");
        }
        var options = new RestoreOptions
        {
            FilePath = files,
            DatabaseName = DatabaseName,
            WithReplace = WithReplace.IsPresent,
            AllowOtherDatabase = Force.IsPresent,
            DestinationDataDirectory = DestinationDataDirectory,
            DestinationLogDirectory = DestinationLogDirectory,
            SafetyBackupPolicy = SafetyBackup is null ? SafetyBackupPolicy.TakeAndVerify : SafetyBackupPolicy.UseExisting,
            SafetyBackup = SafetyBackup,
            SafetyBackupMaxAge = SafetyBackupMaxAge,
            SafetyBackupPath = SafetyBackupPath is null ? null : ResolvePaths([SafetyBackupPath])[0],
        };
        ForEachTarget(target => RestoreInto(target, copy, options));
    }

    private void RestoreInto(DatabaseTarget target, string? copy, RestoreOptions options)
    {
        if (OutputScriptOnly)
        {
            var server = DatabaseTargets.SqlServerOnly(target, "-OutputScriptOnly");
            WriteObject(Engine((service, reporter, stop) => service.ScriptRestore(server, options, reporter, stop)));
            return;
        }
        if (copy is null)
        {
            // One plan (SQL Server: header, file list, target state, shared-server checks; SQLite: the
            // backup file, the target's state, the replace rules): what -WhatIf shows is what runs.
            var plan = Engine((service, reporter, stop) => service.PlanRestore(target, options, reporter, stop));
            if (!ShouldProcess(target.DisplayName, Describe(target, plan) + ". Plan: " + plan.Describe())) return;
            if (plan.TargetExists && WithReplace && !ConfirmReplace(NameOf(target))) return;
            WriteObject(Engine((service, reporter, stop) => service.Restore(plan, options, reporter, stop)));
            return;
        }
        var sql = DatabaseTargets.SqlServerOnly(target, "-CopyDatabaseName");
        if (!ShouldProcess(target.DisplayName, $"Replace {NameOf(target)} with the database copy [{copy}] ({SafetyText()})")) return;
        // A database copy becomes the database.
        if (!ConfirmReplace(target.DisplayName)) return;
        WriteObject(Engine((service, reporter, stop) => service.RestoreCopy(sql, copy, options, reporter, stop)));
    }

    /// <summary>
    /// Replacing keeps the High-impact rule: it prompts while $ConfirmPreference is High or lower (the
    /// default), unless -Confirm:$false was given; -Confirm itself has prompted in ShouldProcess already.
    /// </summary>
    private bool ConfirmReplace(string name)
    {
        if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
        var value = SessionState.PSVariable.GetValue("ConfirmPreference");
        var preference = value is not null && Enum.TryParse<ConfirmImpact>(value.ToString(), true, out var parsed) ? parsed : ConfirmImpact.High;
        if (preference == ConfirmImpact.None || preference > ConfirmImpact.High) return true;
        return ShouldContinue($"Replace the existing database {name}? Its current content remains only in the safety backup.",
            "Confirm replacing a database", ref _yesToAll, ref _noToAll);
    }

    /// <summary>What -WhatIf says, from the plan: whether the database exists is the plan's answer, not this cmdlet's.</summary>
    private string Describe(DatabaseTarget target, RestorePlan plan)
    {
        var source = string.Join(", ", plan.Source);
        if (!plan.TargetExists) return $"Restore {source} into the new database {NameOf(target)}";
        return WithReplace
            ? $"Replace the existing database {NameOf(target)} with {source} ({SafetyText()})"
            : $"Refuse: {NameOf(target)} exists and -WithReplace is not given";
    }

    /// <summary>The database restored into: the target, or -DatabaseName beside it on the same instance.</summary>
    private string NameOf(DatabaseTarget target) => DatabaseName is null ? target.DisplayName : $"[{DatabaseName}] (on the instance of {target.DisplayName})";

    private string SafetyText() => SafetyBackup is null
        ? $"take and verify a copy-only safety backup of it{(SafetyBackupPath is null ? "" : " in " + SafetyBackupPath)} first"
        : $"using the safety backup {string.Join(", ", SafetyBackup.FilePath)} of {SafetyBackup.End:u}";
}
