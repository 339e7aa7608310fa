using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>Backup-OsDatabase: a verified, copy-only full backup (or, on Azure SQL Database, a database copy).</summary>
[Cmdlet(VerbsData.Backup, "OsDatabase", SupportsShouldProcess = true, DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(BackupResult), typeof(string))]
public sealed class BackupOsDatabaseCommand : DatabaseSafetyCmdlet
{
    /// <summary>Folder(s) to write to; several stripe the backup (SQL Server).</summary>
    [Parameter(Position = 1, ParameterSetName = SqlServerSet)]
    [Parameter(Position = 0, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Exact backup file(s) instead of a generated name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] FilePath { get; set; } = [];

    /// <summary>Azure Blob container URL(s): BACKUP TO URL.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = [];

    /// <summary>Copy-only (default) so the log chain is untouched; -CopyOnly:$false takes a normal full backup.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter CopyOnly { get; set; } = true;

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter NoCompression { get; set; }

    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>WITH FORMAT, INIT: overwrite the file(s) instead of appending a backup set (SQL Server).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter Initialize { get; set; }

    /// <summary>Create a missing backup folder (SQLite; dbatools' -BuildPath); without it a missing folder is BackupPathNotFound.</summary>
    [Parameter(ParameterSetName = SqliteSet)]
    public SwitchParameter BuildPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string FileNamePattern { get; set; } = BackupFileNaming.DefaultPattern;

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter OutputScriptOnly { get; set; }

    /// <summary>For -OutputScriptOnly: the server's engine edition, instead of assuming Enterprise.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateRange(1, 12)]
    public int EngineEdition { get; set; }

    private readonly HashSet<string> _foldersSeen = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        var path = Url.Length > 0 ? [] : ResolvePaths(Path);
        var filePath = ResolvePaths(FilePath);
        if (ParameterSetName == SqliteSet) CreateMissingFolders(path.Concat(filePath.Select(f => System.IO.Path.GetDirectoryName(f) ?? f)));
        ForEachTarget(target => BackUp(target, path, filePath));
    }

    private void BackUp(DatabaseTarget target, string[] path, string[] filePath)
    {
        var options = new BackupOptions
        {
            Path = path,
            FilePath = filePath,
            Url = Url,
            CopyOnly = CopyOnly.IsPresent,
            Compress = NoCompression ? false : null,
            Verify = Verify.IsPresent,
            Initialize = Initialize.IsPresent,
            FileNamePattern = FileNamePattern,
            // The server name is left to the engine: the instance as given.
            AssumedServer = MyInvocation.BoundParameters.ContainsKey(nameof(EngineEdition))
                ? new SqlServerFacts { EngineEdition = EngineEdition, Edition = EngineEdition == 4 ? "Express" : "" }
                : null,
        };
        if (OutputScriptOnly)
        {
            var server = DatabaseTargets.SqlServerOnly(target, "-OutputScriptOnly");
            WriteObject(Engine((service, _, _) => service.ScriptBackup(server, options)));
            return;
        }
        var where = options.FilePath.Count > 0 ? string.Join(", ", options.FilePath)
            : Url.Length > 0 ? string.Join(", ", Url)
            : options.Path.Count > 0 ? string.Join(", ", options.Path)
            : "the server's default backup folder";
        var action = Services.DatabaseBackup.EngineFor(target).BackupTraits.Describe(options, where);
        if (!ShouldProcess(target.DisplayName, action)) return;
        WriteObject(Engine((service, reporter, stop) => service.Backup(target, options, reporter, stop)));
    }

    /// <summary>
    /// A missing local backup folder is an error, as in dbatools (a typo must not become a new folder
    /// that retention then runs in); with -BuildPath it is created (with -WhatIf only announced).
    /// SQL Server folders are the server's: it reports BackupPathNotFound itself.
    /// </summary>
    private void CreateMissingFolders(IEnumerable<string> folders)
    {
        foreach (var folder in folders.Where(f => f.Length > 0 && _foldersSeen.Add(f)))
        {
            if (Directory.Exists(folder) || File.Exists(folder)) continue;
            if (!BuildPath)
            {
                ThrowInvalid("BackupPathNotFound", OsErrorCategory.ObjectNotFound, $"The backup folder {folder} does not exist.", folder,
                    "Check the path for a typo, create the folder, or pass -BuildPath to have it created.");
            }
            if (!ShouldProcess(folder, "Create the missing backup folder")) continue;
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteItemError(new OsRollbackException("BackupPathNotCreated", OsErrorCategory.WriteError,
                    $"The backup folder {folder} could not be created: {ex.Message}", folder,
                    "Create the folder yourself, or give a -Path this account can write to."));
            }
        }
    }
}
