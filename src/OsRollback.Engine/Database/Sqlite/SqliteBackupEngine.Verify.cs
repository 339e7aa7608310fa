using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using SQLitePCL;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>Verifying a SQLite backup: its header, integrity check and checksum against its metadata.</summary>
internal sealed partial class SqliteBackupEngine
{
    public BackupVerification Verify(VerifyOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var file = SingleFile(options.FilePath);
        var metadata = BackupMetadata.TryRead(file + MetadataSuffix);
        var verification = new BackupVerification
        {
            FilePath = [file],
            Engine = DatabaseEngineKind.Sqlite,
            Database = metadata?.Database,
            BackupStart = metadata?.Start,
            Size = new FileInfo(file).Length,
        };
        verification.Checks.Add(new BackupCheck("Header", "file header is 'SQLite format 3'", true, $"{verification.Size:N0} bytes"));
        if (metadata is null)
        {
            verification.Checks.Add(new BackupCheck("Metadata", file + MetadataSuffix, true, "no metadata file (a bare file): size and checksum not compared"));
        }
        else
        {
            var hash = Checksum(file, metadata.ChecksumAlgorithm);
            var same = string.Equals(hash, metadata.Checksum, StringComparison.OrdinalIgnoreCase) && metadata.Size == verification.Size;
            verification.Checks.Add(new BackupCheck("Checksum", $"{metadata.ChecksumAlgorithm} and size against " + System.IO.Path.GetFileName(file + MetadataSuffix), same,
                same ? $"{metadata.ChecksumAlgorithm} {hash} matches" : $"the file changed since it was written ({metadata.ChecksumAlgorithm} {hash}, expected {metadata.Checksum}; {verification.Size:N0} bytes, expected {metadata.Size:N0})"));
        }
        ct.ThrowIfCancellationRequested();
        var check = IntegrityCheck(file, quick: false);
        verification.Checks.Add(new BackupCheck("Integrity", "PRAGMA integrity_check", check == "ok", check));
        verification.Files = [file];
        if (options.TestRestore)
        {
            var scratchDir = options.DataDirectory ?? System.IO.Path.GetTempPath();
            var scratch = System.IO.Path.Combine(scratchDir, "OsRollbackTest_" + Guid.NewGuid().ToString("N")[..8] + Extension);
            verification.ScratchDatabase = scratch;
            try
            {
                using (var source = Open(file, SqliteOpenMode.ReadOnly))
                using (var destination = Open(scratch, SqliteOpenMode.ReadWriteCreate))
                    CopyPages(source, destination, reporter, $"Test restore of {file}", 10, 0, 1, ct);
                var restoredCheck = IntegrityCheck(scratch, quick: false);
                using var restored = Open(scratch, SqliteOpenMode.ReadOnly);
                var tables = Scalar(restored, "SELECT count(*) FROM sqlite_master WHERE type = 'table';");
                verification.Checks.Add(new BackupCheck("TestRestore", "backup API into a scratch file, then PRAGMA integrity_check", restoredCheck == "ok",
                    $"{restoredCheck}; {tables} tables"));
            }
            catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) is raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB or raw.SQLITE_IOERR)
            {
                // A truncated or damaged backup fails the check; it is not an error of the command.
                verification.Checks.Add(new BackupCheck("TestRestore", "backup API into a scratch file, then PRAGMA integrity_check", false,
                    $"the backup could not be restored: {ex.Message}"));
            }
            finally
            {
                TryDelete(scratch);
            }
        }
        verification.IsValid = verification.Checks.All(c => c.Passed);
        verification.Duration = _time.GetElapsedTime(started);
        return verification;
    }
}
