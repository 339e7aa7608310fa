using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>Test-OsDatabaseBackup: says exactly what was checked in a backup, and how.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OsDatabaseBackup")]
[OutputType(typeof(BackupVerification))]
public sealed class TestOsDatabaseBackupCommand : OsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[] FilePath { get; set; } = [];

    /// <summary>The SQL Server that reads a SQL Server backup; absent for a SQLite backup file.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull, AllowEmptyString]
    public string? SqlInstance { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    [Parameter]
    public SwitchParameter TrustServerCertificate { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter]
    public SwitchParameter TestRestore { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogDirectory { get; set; }

    /// <summary>Makes a failed or unreadable backup a terminating error (scripts that use try/catch).</summary>
    [Parameter]
    public SwitchParameter EnableException { get; set; }

    private void WriteItemError(OsRollbackException ex)
    {
        if (EnableException) ThrowTerminatingError(ToErrorRecord(ex));
        WriteOsError(ex);
    }

    protected override void ProcessRecord()
    {
        if (FilePath is null || FilePath.Length == 0 || FilePath.All(string.IsNullOrEmpty))
        {
            WriteItemError(new OsRollbackException("BackupFileRequired", OsErrorCategory.InvalidArgument,
                "The input has no backup file (FilePath is empty).", null,
                "Pipe a backup with files, or give -FilePath; an Azure SQL Database copy is checked by querying it."));
            return;
        }
        var server = string.IsNullOrEmpty(SqlInstance) ? null : new SqlServerTarget(SqlInstance!, "master", SqlCredential?.UserName, SqlCredential?.Password)
        {
            TrustServerCertificate = TrustServerCertificate.IsPresent,
            ConnectTimeoutSeconds = ConnectTimeout,
        };
        var options = new VerifyOptions
        {
            FilePath = server is null ? FilePath.Select(GetUnresolvedProviderPathFromPSPath).ToArray() : FilePath,
            TestRestore = TestRestore.IsPresent,
            DataDirectory = DataDirectory is null || server is not null ? DataDirectory : GetUnresolvedProviderPathFromPSPath(DataDirectory),
            LogDirectory = LogDirectory,
        };
        BackupVerification result;
        try
        {
            result = Work.Wait((r, c) => Task.FromResult(Services.DatabaseBackup.Verify(server, options, r, c)));
        }
        catch (OsRollbackException ex)
        {
            Work.Pump();
            WriteItemError(ex);
            return;
        }
        foreach (var check in result.Checks) WriteVerbose($"{check.Name}: {check.Method}: {(check.Passed ? "passed" : "FAILED")} ({check.Detail})");
        WriteObject(result);
        if (!result.IsValid)
        {
            var failed = result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name} ({c.Method}): {c.Detail}");
            WriteItemError(new OsRollbackException("BackupVerificationFailed", OsErrorCategory.InvalidData,
                $"The backup {string.Join(", ", result.FilePath)} failed: {string.Join("; ", failed)}", string.Join(", ", result.FilePath),
                "Do not restore from this backup; use an older verified one (Get-OsDatabaseBackup) and check the storage."));
        }
    }
}
