using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>The rules every engine applies before a restore replaces a database: -WithReplace, the same database, and a safety backup.</summary>
internal static class ReplaceRules
{
    internal static void CheckReplace(string name, string source, string display, RestoreOptions options)
    {
        if (!options.WithReplace) throw ReplaceRefused(name, display);
        if (source.Length > 0 && !string.Equals(source, name, StringComparison.OrdinalIgnoreCase) && !options.AllowOtherDatabase)
        {
            throw new OsRollbackException("BackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                $"The backup holds the database '{source}', but it would replace '{name}'.", display,
                "Check -FilePath. To restore it beside the original use another -DatabaseName; to replace a different database on purpose add -Force.");
        }
    }

    internal static OsRollbackException ReplaceRefused(string name, string display) =>
        new("DatabaseExists", OsErrorCategory.ResourceExists,
            $"The database '{name}' exists; a restore would replace it.", display,
            "Add -WithReplace to replace it (a verified safety backup is taken first), or restore under another name with -DatabaseName.");

    internal static OsRollbackException SafetyMissing(string database, string display) =>
        new("SafetyBackupMissing", OsErrorCategory.InvalidOperation,
            $"Replacing '{database}' needs a safety backup of it, and none was given.", display,
            "Pass a verified backup of the current database with -SafetyBackup, or let the cmdlet take one (omit -SafetyBackup).");
}
