using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>
/// What an import must believe about a delta before it writes: the file is the one that was
/// exported (sealed, or an old unsealed file the operator accepted by name), and it goes into the
/// database it was exported for (or, by explicit choice, a database that is no other environment's).
/// </summary>
public static class DataDeltaTrust
{
    /// <summary>True when the file is sealed (its seal is then checked on every read); refuses an unsealed file unless allowed.</summary>
    public static bool EnsureSealedOrAllowed(string path, DataDeltaHeader header, DataDeltaImportOptions options, IOperationReporter reporter)
    {
        if (header.FormatVersion >= DataDeltaFile.SealedFormatVersion) return true;
        if (!options.AllowUnsealed)
            throw new OsRollbackException("DataDeltaUnsealed", OsErrorCategory.SecurityError,
                $"The data delta '{path}' has format version {header.FormatVersion} and no seal: nothing proves it is the file that was exported (rows or tables may have been edited). Nothing was imported.",
                path, "Export the delta again with this version of Export-OsDataDelta (it seals the file); or, having reviewed every line of this file, import it with -AllowUnsealedDelta.");
        reporter.Warning($"The data delta '{path}' is not sealed (format version {header.FormatVersion}); it is imported because -AllowUnsealedDelta was given.");
        return false;
    }

    /// <summary>
    /// The delta goes into the database it was exported for. Another database needs
    /// <see cref="DataDeltaImportOptions.AllowOtherDatabase"/>, and is refused even then when the
    /// catalog knows it as the platform database of another environment.
    /// </summary>
    public static void EnsureTarget(string path, DataDeltaHeader header, DatabaseTarget target, DataDeltaImportOptions options, IOperationReporter reporter)
    {
        if (SameDatabase(header.Database, target)) return;
        var delta = header.Environment is null ? header.Database : $"{header.Environment} ({header.Database})";
        if (options.TargetEnvironment is { } other && !string.Equals(other, header.Environment, StringComparison.OrdinalIgnoreCase))
            throw WrongDatabase(path, $"The data delta was exported for {delta}; {target.DisplayName} is the platform database of the environment {other}.",
                "Import it into the database it was exported for; a delta of one environment never goes into another environment's platform database.");
        if (!options.AllowOtherDatabase)
            throw WrongDatabase(path, $"The data delta was exported for {delta}, not for {target.DisplayName}.",
                "Import it into the database it was exported for; to import it into a copy of that database (for review), add -AllowOtherDatabase.");
        reporter.Warning($"The delta was exported for {delta}; it is imported into {target.DisplayName} because -AllowOtherDatabase was given.");
    }

    /// <summary>The engine decides (a SQLite file by another path, a symbolic link, is the same database).</summary>
    private static bool SameDatabase(string exportedFor, DatabaseTarget target) =>
        DatabaseProviders.Default.For(target).TableData.IsSameDatabase(target, exportedFor);

    private static OsRollbackException WrongDatabase(string path, string message, string action) =>
        new("DataDeltaWrongDatabase", OsErrorCategory.InvalidArgument, message + " Nothing was imported.", path, action);
}
