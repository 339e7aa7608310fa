using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using SQLitePCL;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// SQLite backups: the online backup API (stepped, so there is progress and Ctrl+C works) into
/// a new file, an integrity check of the copy, an XxHash128 checksum of it, and a small metadata file beside
/// it (<c>&lt;backup&gt;.osrollback.json</c>) so that history and retention work.
/// </summary>
internal sealed partial class SqliteBackupEngine
{
    public const string Extension = ".sqlite";
    public const string MetadataSuffix = ".osrollback.json";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    private readonly TimeProvider _time;

    public SqliteBackupEngine(TimeProvider time) => _time = time;

    /// <summary>Opens the metadata file's temporary copy for writing (tests put a failing stream here).</summary>
    internal Func<string, Stream> OpenMetadataFile { get; set; } = BackupMetadata.OpenForWrite;

    /// <summary>Pages copied per backup step (4096 pages of 4 KiB = 16 MiB): progress without slowing the copy.</summary>
    public int PagesPerStep { get; init; } = 4096;

    public static string DatabaseName(string path) => System.IO.Path.GetFileNameWithoutExtension(path);

    // ---------------------------------------------------------------- backup

    public BackupResult Backup(SqliteTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        if (!File.Exists(target.Path))
        {
            throw new OsRollbackException("DatabaseFileNotFound", OsErrorCategory.ObjectNotFound,
                $"The SQLite database '{target.Path}' does not exist.", target.Path, "Check the path given to -SqlitePath.");
        }
        var start = _time.GetUtcNow();
        var database = DatabaseName(target.Path);
        var file = ChooseFile(target, options, database, options.Timestamp ?? start);
        var partial = file + ".partial";
        var activity = $"Backing up {target.Path}";
        reporter.Verbose($"Backing up {target.Path} to {file} with the SQLite online backup API.");
        long pageSize, pageCount;
        var phases = new List<string>();
        var phase = _time.GetTimestamp();
        void Phase(string name) { phases.Add($"{name} {_time.GetElapsedTime(phase).TotalSeconds:0.00} s"); phase = _time.GetTimestamp(); }
        string checksum, check, checkedWhat;
        try
        {
            using (var source = Open(target.Path, SqliteOpenMode.ReadOnly))
            using (var destination = Open(partial, SqliteOpenMode.ReadWriteCreate))
            {
                // Reading the source through a memory map saves a system call and a copy per page.
                Execute(source, MemoryMap);
                // A fresh file: no journal needed while it is written; durability comes from the flush below.
                Execute(destination, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
                // One read transaction for the whole copy. With a rollback journal nothing can commit while it
                // is held, so a second connection checks exactly the pages being copied, side by side with the
                // copy, instead of reading the copy again afterwards. (In WAL mode a second reader could see a
                // newer snapshot: there the copy itself is checked after it is written.)
                var snapshotCheck = !IsWal(source);
                Execute(source, "BEGIN; SELECT count(*) FROM sqlite_master;");
                var sourceCheck = snapshotCheck ? Task.Run(() => IntegrityCheck(target.Path, quick: true), ct) : null;
                try
                {
                    (pageSize, pageCount) = CopyPages(source, destination, reporter, activity, options.StatsPercent, 0, 1, ct);
                }
                finally
                {
                    // The check must end inside the read transaction: it is only meaningful for that snapshot.
                    check = sourceCheck is null ? "" : WaitQuietly(sourceCheck);
                    Execute(source, "COMMIT;");
                }
                Execute(destination, "PRAGMA journal_mode=DELETE;");
                checkedWhat = snapshotCheck ? "PRAGMA quick_check of the copied snapshot" : "PRAGMA quick_check";
            }
            ct.ThrowIfCancellationRequested();
            Phase(check.Length > 0 ? "copy and quick_check" : "copy");
            // The flush waits for the disk, the checksum reads the (cached) copy: side by side.
            reporter.Progress(new ProgressUpdate(activity, "Writing the checksum of the copy" + (check.Length > 0 ? "" : " and checking it (PRAGMA quick_check)"), 100));
            var flushTask = Task.Run(() => Flush(partial), ct);
            if (check.Length == 0) check = IntegrityCheck(partial, quick: true);
            checksum = Checksum(partial);
            flushTask.GetAwaiter().GetResult();
            Phase("flush and checksum");
            if (check != "ok")
            {
                throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                    $"The copy of '{target.Path}' failed its integrity check: {check}", target.Path,
                    "Run PRAGMA integrity_check on the source database; it may be damaged. Nothing was kept.");
            }
            File.Move(partial, file);
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            TryDelete(partial);
            throw Map(ex, target.Path, file);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        var size = new FileInfo(file).Length;
        var result = new BackupResult
        {
            Database = database,
            SqlitePath = target.Path,
            ServerName = Environment.MachineName,
            Engine = DatabaseEngineKind.Sqlite,
            FilePath = [file],
            Path = [System.IO.Path.GetDirectoryName(file)!],
            Start = start,
            End = _time.GetUtcNow(),
            Size = size,
            IsCopyOnly = true,
            HasChecksum = true,
            RecoveryModel = null,
            Verified = true,
            BackupId = Guid.NewGuid().ToString("N"),
            WrittenByOsRollback = true,
        };
        var metadata = BackupMetadata.From(result, pageSize, pageCount, checksum, checkedWhat);
        WriteMetadataOrDiscard(metadata, file);
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
        reporter.Verbose($"Backup of {database} written: {file} ({size:N0} bytes, {pageCount:N0} pages), integrity check ok ({string.Join(", ", phases)}).");
        return result;
    }

    /// <summary>
    /// A backup without its metadata cannot be checked as a safety backup (checksum, source), so
    /// when the metadata cannot be written the backup file goes too: nothing is left that looks
    /// like a verified backup.
    /// </summary>
    private void WriteMetadataOrDiscard(BackupMetadata metadata, string file)
    {
        try
        {
            metadata.Write(file + MetadataSuffix, OpenMetadataFile);
        }
        catch (OsRollbackException)
        {
            TryDelete(file);
            throw;
        }
    }

    private static string ChooseFile(SqliteTarget target, BackupOptions options, string database, DateTimeOffset timestamp)
    {
        if (options.FilePath.Count > 1 || options.Path.Count > 1)
        {
            throw new OsRollbackException("StripingNotSupported", OsErrorCategory.InvalidArgument,
                "A SQLite backup is one file; it cannot be striped over several paths.", target.Path, "Give one -Path or one -FilePath.");
        }
        string file;
        if (options.FilePath.Count == 1)
        {
            file = System.IO.Path.GetFullPath(options.FilePath[0]);
            if (File.Exists(file))
            {
                throw new OsRollbackException("BackupFileExists", OsErrorCategory.ResourceExists,
                    $"The file '{file}' already exists; a backup never overwrites a file.", file, "Choose another -FilePath, or use -Path to get a unique name.");
            }
        }
        else
        {
            if (options.Path.Count == 0)
            {
                throw new OsRollbackException("BackupPathRequired", OsErrorCategory.InvalidArgument,
                    "A SQLite backup needs a folder (-Path) or a file (-FilePath).", target.Path, "Give -Path <folder>.");
            }
            var folder = System.IO.Path.GetFullPath(options.Path[0]);
            var baseName = BackupFileNaming.FileName(options.FileNamePattern, database, Environment.MachineName, timestamp, 1, 1, "");
            file = System.IO.Path.Combine(folder, baseName + Extension);
            for (var n = 2; File.Exists(file); n++) file = System.IO.Path.Combine(folder, $"{baseName}_{n}{Extension}");
        }
        var directory = System.IO.Path.GetDirectoryName(file)!;
        if (!Directory.Exists(directory))
        {
            throw new OsRollbackException("BackupPathNotFound", OsErrorCategory.ObjectNotFound,
                $"The backup folder '{directory}' does not exist.", directory, "Create the folder first, or give another -Path.");
        }
        return file;
    }

    /// <summary>Copies every page with sqlite3_backup_step, retrying while the destination is busy.</summary>
    private (long PageSize, long PageCount) CopyPages(SqliteConnection source, SqliteConnection destination, IOperationReporter reporter, string activity,
        int statsPercent, int busyRetries, int _, CancellationToken ct, TimeSpan busyDelay = default, Action? beforeCommit = null)
    {
        var backup = raw.sqlite3_backup_init(destination.Handle, "main", source.Handle, "main");
        if (backup is null || backup.IsInvalid) ThrowSqlite(raw.sqlite3_errcode(destination.Handle), destination);
        var lastReported = -1;
        var busy = 0;
        var started = false;
        var sourcePages = beforeCommit is null ? 0 : Scalar(source, "PRAGMA page_count;");
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                // The step that copies the last pages also commits: the gate runs before it (throwing finishes the backup unfinished, which rolls the destination back).
                if (beforeCommit is not null && (started ? raw.sqlite3_backup_remaining(backup) : sourcePages) <= PagesPerStep)
                {
                    beforeCommit();
                    beforeCommit = null;
                }
                var rc = raw.sqlite3_backup_step(backup, PagesPerStep);
                started = true;
                if (rc == raw.SQLITE_DONE) break;
                if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                {
                    if (busy++ >= busyRetries) ThrowSqlite(rc, destination);
                    if (busyDelay > TimeSpan.Zero) Task.Delay(busyDelay, _time, ct).GetAwaiter().GetResult();
                    continue;
                }
                if (rc != raw.SQLITE_OK) ThrowSqlite(rc, destination);
                var total = raw.sqlite3_backup_pagecount(backup);
                var remaining = raw.sqlite3_backup_remaining(backup);
                var percent = total == 0 ? 100 : (int)(100L * (total - remaining) / total);
                if (percent - lastReported >= Math.Max(1, statsPercent))
                {
                    lastReported = percent;
                    reporter.Progress(new ProgressUpdate(activity, $"{total - remaining:N0} of {total:N0} pages", percent));
                }
            }
            var pages = raw.sqlite3_backup_pagecount(backup);
            return (Scalar(destination, "PRAGMA page_size;"), pages);
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }
    }

    // ---------------------------------------------------------------- helpers

    internal static bool IsSqliteFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var header = new byte[Magic.Length];
            return stream.Read(header, 0, header.Length) == header.Length && header.AsSpan().SequenceEqual(Magic);
        }
        catch (IOException) { return false; }
    }

    private static string SingleFile(IReadOnlyList<string> files)
    {
        if (files.Count != 1)
        {
            throw new OsRollbackException("BackupFileRequired", OsErrorCategory.InvalidArgument,
                files.Count == 0 ? "No backup file was given." : "A SQLite backup is one file; several were given.", null,
                "Give one -FilePath, or pipe one backup from Backup-OsDatabase or Get-OsDatabaseBackup.");
        }
        var file = System.IO.Path.GetFullPath(files[0]);
        if (!File.Exists(file))
        {
            throw new OsRollbackException("BackupFileNotFound", OsErrorCategory.ObjectNotFound,
                $"The backup file '{file}' does not exist.", file, "Check -FilePath; Get-OsDatabaseBackup -Path <folder> lists the backups there.");
        }
        if (!IsSqliteFile(file))
        {
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                $"'{file}' is not a SQLite database (its header is not 'SQLite format 3').", file,
                "For a SQL Server backup give -SqlInstance; otherwise the file is damaged or not a backup.");
        }
        return file;
    }

    private const string MemoryMap = "PRAGMA mmap_size = 4294967296;";

    internal static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    internal static string IntegrityCheck(string path, bool quick)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            Execute(connection, MemoryMap);
            using var command = connection.CreateCommand();
            command.CommandText = quick ? "PRAGMA quick_check;" : "PRAGMA integrity_check;";
            var lines = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read() && lines.Count < 20) lines.Add(reader.GetString(0));
            return lines.Count == 1 ? lines[0] : string.Join("; ", lines);
        }
        catch (SqliteException ex)
        {
            return "cannot be read: " + ex.Message;
        }
    }

    private static bool IsWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The check's result, or why it could not run (a failed check is a finding, not a crash).</summary>
    private static string WaitQuietly(Task<string> check)
    {
        try { return check.GetAwaiter().GetResult(); }
        catch (OperationCanceledException) { return "cancelled"; }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    public const string DefaultChecksumAlgorithm = "XxHash128";

    /// <summary>A checksum of the whole file: XxHash128 (fast enough to keep up with the disk) or SHA256.</summary>
    internal static string Checksum(string path, string algorithm = DefaultChecksumAlgorithm)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        if (string.Equals(algorithm, "SHA256", StringComparison.OrdinalIgnoreCase))
            return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        var hash = new System.IO.Hashing.XxHash128();
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hash.Append(buffer.AsSpan(0, read));
        return Convert.ToHexString(hash.GetCurrentHash()).ToLowerInvariant();
    }

    private static void ThrowSqlite(int rc, SqliteConnection connection) =>
        throw new SqliteException(raw.sqlite3_errstr(rc).utf8_to_string() + " " + raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc, rc);

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static OsRollbackException Map(Exception ex, string database, string file)
    {
        var code = ex is SqliteException s ? s.SqliteErrorCode : 0;
        var text = ex.Message;
        if (code == raw.SQLITE_FULL || text.Contains("No space left", StringComparison.OrdinalIgnoreCase) || text.Contains("disk is full", StringComparison.OrdinalIgnoreCase) || (ex is IOException io && (io.HResult & 0xFFFF) is 112 or 28))
        {
            return new OsRollbackException("DiskFull", OsErrorCategory.WriteError,
                $"The disk is full while writing '{file}': {text}", database, "Free space or write to another folder; the database was not changed and nothing was deleted.", ex);
        }
        if (code is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            return new OsRollbackException("DatabaseBusy", OsErrorCategory.ResourceBusy,
                $"'{database}' stayed locked by another connection: {text}", database,
                "Take the applications using it offline (or stop the sandbox) and try again; the database was not changed.", ex);
        }
        if (code is raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB)
        {
            return new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData, $"'{file}' is damaged: {text}", database,
                "Use an older verified backup (Get-OsDatabaseBackup).", ex);
        }
        if (code is raw.SQLITE_CANTOPEN or raw.SQLITE_PERM or raw.SQLITE_READONLY || ex is UnauthorizedAccessException)
        {
            return new OsRollbackException("BackupPathAccessDenied", OsErrorCategory.PermissionDenied, $"Cannot write '{file}': {text}", database,
                "Check that the folder exists and is writable.", ex);
        }
        return new OsRollbackException("SqliteError", OsErrorCategory.InvalidOperation, $"SQLite failed on '{file}': {text}", database,
            "Read the message above; the database was not changed.", ex);
    }
}
