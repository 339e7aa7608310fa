using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server: where each file of a restored database goes (MOVE mapping).</summary>
internal sealed partial class SqlServerBackupEngine
{
    /// <summary>
    /// Maps every file of the backup to a physical path (WITH MOVE): the current path of the
    /// replaced database's file with the same logical name when <paramref name="inPlace"/> has
    /// one, otherwise the given or default folder.
    /// </summary>
    internal static List<FileMove> MapFiles(IReadOnlyList<SqlRow> files, string database, bool renameFiles, string? dataDirectory, string? logDirectory, char separator, string display,
        IReadOnlyDictionary<string, string>? inPlace = null, IOperationReporter? reporter = null)
    {
        if (files.Count == 0)
        {
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData, "RESTORE FILELISTONLY returned no files.", display,
                "Check that the file is a complete SQL Server backup (all stripes given with -FilePath).");
        }
        var moves = new List<FileMove>();
        var dataIndex = 0;
        foreach (var file in files)
        {
            var logical = file.String("LogicalName") ?? "";
            var type = file.String("Type") ?? "D";
            var original = file.String("PhysicalName") ?? logical;
            var isLog = type == "L";
            var isPrimary = type == "D" && dataIndex++ == 0;
            if (inPlace is not null && inPlace.TryGetValue(logical, out var current))
            {
                moves.Add(new FileMove(logical, current));
                continue;
            }
            var folder = (isLog ? logDirectory : dataDirectory) ?? DirectoryOf(original);
            string fileName;
            if (!renameFiles) fileName = FileNameOf(original);
            else if (isLog) fileName = BackupFileNaming.Sanitize(database) + "_log.ldf";
            else if (isPrimary) fileName = BackupFileNaming.Sanitize(database) + ".mdf";
            else fileName = BackupFileNaming.Sanitize(database) + "_" + BackupFileNaming.Sanitize(logical) + (type == "D" ? ".ndf" : "");
            var path = BackupFileNaming.Combine(folder, fileName, separator);
            if (inPlace is not null) reporter?.Verbose($"{database} has no file named '{logical}': it is restored to {path}.");
            moves.Add(new FileMove(logical, path));
        }
        return moves;
    }
}
