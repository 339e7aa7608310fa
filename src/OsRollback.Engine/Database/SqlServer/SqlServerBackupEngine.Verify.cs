using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server: the full check of a backup (HEADERONLY identity, VERIFYONLY WITH CHECKSUM).</summary>
internal sealed partial class SqlServerBackupEngine
{
    /// <summary>The full safety check of a given backup of <paramref name="target"/> (HEADERONLY identity, VERIFYONLY WITH CHECKSUM).</summary>
    public VerifiedBackup VerifySafetyBackup(SqlServerTarget target, BackupResult backup, CancellationToken ct)
    {
        using var session = _open(target, "master");
        var facts = Probe(session, ct);
        var server = string.IsNullOrEmpty(facts.ServerName) ? target.SqlInstance : facts.ServerName;
        return _safety.VerifySqlServer(session, backup, target.Database, server, verifyOnlyDone: false, ct);
    }

    public BackupVerification Verify(SqlServerTarget server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var devices = Devices(options.FilePath, server.DisplayName);
        using var session = _open(server, "master");
        var header = ReadHeader(session, devices, server, ct);
        var verification = new BackupVerification
        {
            FilePath = options.FilePath.ToArray(),
            Engine = DatabaseEngineKind.SqlServer,
            SqlInstance = server.SqlInstance,
            Database = header.String("DatabaseName"),
            BackupStart = header.Date("BackupStartDate") is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            Size = header.Int64("BackupSize"),
        };
        verification.Checks.Add(new BackupCheck("Header", "RESTORE HEADERONLY", true,
            $"database {header.String("DatabaseName")}, backup type {header.String("BackupType")}, started {header.Date("BackupStartDate"):u}, checksums {(header.Bool("HasBackupChecksums") ? "present" : "absent")}"));
        var files = session.ExecuteReader(SqlServerScripts.FileListOnly(devices), cancellationToken: ct);
        verification.Files = files.Select(f => $"{f.String("LogicalName")} ({f.String("Type")}): {f.String("PhysicalName")}").ToArray();
        verification.Checks.Add(new BackupCheck("FileList", "RESTORE FILELISTONLY", files.Count > 0, $"{files.Count} files"));
        var activity = $"Verifying {string.Join(", ", options.FilePath)}";
        session.ExecuteNonQuery(SqlServerScripts.VerifyOnly(devices), longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, activity), cancellationToken: ct);
        verification.Checks.Add(new BackupCheck("Verify", "RESTORE VERIFYONLY WITH CHECKSUM", true, "the backup set is complete and every page checksum matches"));

        if (options.TestRestore)
        {
            var facts = Probe(session, ct);
            var source = header.String("DatabaseName") ?? "db";
            var scratch = "OsRollbackTest_" + (source.Length > 80 ? source[..80] : source) + "_" + Guid.NewGuid().ToString("N")[..8];
            verification.ScratchDatabase = scratch;
            var moves = MapFiles(files, scratch, renameFiles: true, options.DataDirectory ?? facts.DefaultDataPath, options.LogDirectory ?? facts.DefaultLogPath, facts.PathSeparator, server.DisplayName);
            try
            {
                var restoreActivity = $"Test restore of {source} as {scratch}";
                session.ExecuteNonQuery(SqlServerScripts.Restore(scratch, devices, moves, replace: false, stats: 5, setSingleUser: false),
                    longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, restoreActivity), cancellationToken: ct);
                verification.Checks.Add(new BackupCheck("TestRestore", $"RESTORE DATABASE as {scratch} WITH MOVE (renamed files), CHECKSUM", true, $"restored into {moves.Count} files"));
                var messages = new List<string>();
                session.ExecuteNonQuery(SqlServerScripts.CheckDb(scratch), longRunning: true, onInfoMessage: messages.Add, cancellationToken: ct);
                verification.Checks.Add(new BackupCheck("CheckDb", "DBCC CHECKDB WITH NO_INFOMSGS, ALL_ERRORMSGS", messages.Count == 0,
                    messages.Count == 0 ? "no consistency errors" : string.Join(" ", messages)));
            }
            finally
            {
                try { session.ExecuteNonQuery(SqlServerScripts.DropScratch(scratch), longRunning: true, cancellationToken: CancellationToken.None); }
                catch (OsRollbackException ex) { reporter.Warning($"The scratch database {scratch} could not be dropped: {ex.Message}"); }
            }
        }
        verification.IsValid = verification.Checks.All(c => c.Passed);
        verification.Duration = _time.GetElapsedTime(started);
        return verification;
    }

    private static SqlRow ReadHeader(ISqlSession session, IReadOnlyList<BackupDevice> devices, SqlServerTarget server, CancellationToken ct)
    {
        var headers = session.ExecuteReader(SqlServerScripts.HeaderOnly(devices), cancellationToken: ct);
        return headers.FirstOrNull() ?? throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
            $"RESTORE HEADERONLY found no backup set in {string.Join(", ", devices.Select(d => d.Location))}.", server.DisplayName,
            "Check that the file is a SQL Server backup.");
    }
}
