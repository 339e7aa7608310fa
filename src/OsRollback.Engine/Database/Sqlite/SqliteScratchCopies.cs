using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>A SQLite scratch copy: the online backup API into a file in the scratch folder, deleted afterwards.</summary>
internal sealed class SqliteScratchCopies(TimeProvider time) : IScratchCopies
{
    public ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var lite = SqliteProvider.File(target);
        Directory.CreateDirectory(scratchFolder);
        var path = Path.Combine(scratchFolder, $"{Path.GetFileNameWithoutExtension(lite.Path)}.rehearsal-{time.GetUtcNow():yyyyMMdd-HHmmss-fff}.db");
        reporter.Verbose($"Copying {lite.Path} to {path} with the SQLite backup API for the rehearsal.");
        using (var source = (SqliteConnection)lite.OpenConnection(SqliteOpenMode.ReadOnly))
        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            copy.Open();
            source.BackupDatabase(copy);
        }
        var scratch = new SqliteTarget(path);
        return new ParallelCopy(scratch, true, () => Drop(scratch));
    }

    public void Drop(DatabaseTarget scratch) => System.IO.File.Delete(SqliteProvider.File(scratch).Path);
}
