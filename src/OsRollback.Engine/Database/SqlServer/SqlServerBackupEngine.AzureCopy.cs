using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>Azure SQL Database: no BACKUP TO file, so a database copy stands in for the backup and a name swap for the restore.</summary>
internal sealed partial class SqlServerBackupEngine
{
    private BackupResult CopyDatabase(ISqlSession session, SqlServerTarget target, SqlServerFacts facts, BackupOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var copy = CopyName(target.Database, options.Timestamp ?? start);
        reporter.Verbose($"{target.SqlInstance} is Azure SQL Database (engine edition 5), which cannot BACKUP TO DISK: copying {target.Database} to {copy}.");
        session.ExecuteNonQuery(SqlServerScripts.CreateCopy(copy, target.Database), longRunning: true, cancellationToken: ct);
        WaitForCopy(session, copy, options.CopyPollInterval, reporter, $"Copying {target.Database} to {copy}", ct);
        return new BackupResult
        {
            Database = target.Database,
            SqlInstance = target.SqlInstance,
            ServerName = facts.ServerName,
            Engine = DatabaseEngineKind.SqlServer,
            Kind = BackupKind.DatabaseCopy,
            CopyDatabaseName = copy,
            Start = start,
            End = _time.GetUtcNow(),
            IsCopyOnly = true,
            Verified = true,
            BackupId = copy,
            WrittenByOsRollback = true,
        };
    }

    private void WaitForCopy(ISqlSession session, string copy, TimeSpan interval, IOperationReporter reporter, string activity, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var row = session.ExecuteReader(SqlServerScripts.CopyState, [new("@name", copy)], cancellationToken: ct).FirstOrNull();
            var state = row?.String("state_desc");
            if (row is null || !string.IsNullOrEmpty(row.String("error_desc")) || state is not ("COPYING" or "ONLINE"))
            {
                throw new OsRollbackException("DatabaseCopyFailed", OsErrorCategory.InvalidResult,
                    $"The database copy '{copy}' failed (state {state ?? "missing"}): {row?.String("error_desc")}", copy,
                    "Check the server's sys.dm_database_copies and the elastic pool or service-tier limits, then try again.");
            }
            if (state == "ONLINE") break;
            var percent = (int)(row.Decimal("percent_complete") ?? 0m);
            reporter.Progress(new ProgressUpdate(activity, $"{percent} percent copied", percent));
            if (interval > TimeSpan.Zero) Task.Delay(interval, _time, ct).GetAwaiter().GetResult();
        }
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
    }

    private static string CopyName(string database, DateTimeOffset at) =>
        (database.Length > 100 ? database[..100] : database) + "_osrollback_" + at.UtcDateTime.ToString(BackupFileNaming.TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Azure SQL Database: swap names so the copy becomes the database; the replaced one is kept under a new name.</summary>
    public RestoreResult RestoreCopy(SqlServerTarget target, string copyName, RestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var name = options.DatabaseName ?? target.Database;
        using var session = _open(target, "master");
        var exists = Convert.ToInt32(session.ExecuteScalar(SqlServerScripts.DatabaseExists, [new("@database", name)], cancellationToken: ct), CultureInfo.InvariantCulture) == 1;
        string? kept = null;
        if (exists)
        {
            if (!options.WithReplace) throw ReplaceRules.ReplaceRefused(name, target.DisplayName);
            kept = name.Length > 100 ? name[..100] : name;
            kept += "_replaced_" + start.UtcDateTime.ToString(BackupFileNaming.TimestampFormat, CultureInfo.InvariantCulture);
            reporter.Verbose($"Renaming {name} to {kept} (kept as the safety copy).");
            session.ExecuteNonQuery(SqlServerScripts.Rename(name, kept), longRunning: true, cancellationToken: ct);
        }
        try
        {
            session.ExecuteNonQuery(SqlServerScripts.Rename(copyName, name), longRunning: true, cancellationToken: ct);
        }
        catch (OsRollbackException) when (kept is not null)
        {
            session.ExecuteNonQuery(SqlServerScripts.Rename(kept, name), longRunning: true, cancellationToken: CancellationToken.None);
            throw;
        }
        return new RestoreResult
        {
            Engine = DatabaseEngineKind.SqlServer,
            SqlInstance = target.SqlInstance,
            Database = name,
            SourceDatabase = copyName,
            ReplacedExisting = exists,
            SafetyBackup = kept is null ? null : new BackupResult { Database = name, SqlInstance = target.SqlInstance, Kind = BackupKind.DatabaseCopy, CopyDatabaseName = kept, Verified = true, Start = start, End = start, BackupId = kept, WrittenByOsRollback = true },
            Start = start,
            End = _time.GetUtcNow(),
        };
    }
}
