using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// Which database a rollback point belongs to. SQL Server: server, database, database_guid and
/// recovery_fork_guid (sys.database_recovery_status). SQLite: the full path and a fingerprint
/// (SHA-256 of the platform tables' definitions: it proves the file is a platform database; the
/// path tells environments apart).
/// </summary>
public sealed record DatabaseIdentity(DatabaseEngineKind Engine, string Server, string Database, string? DatabaseGuid, string? RecoveryForkGuid, string? Fingerprint)
{
    /// <summary>
    /// Same database: every identifying part that was read matches (SQL Server: server, name and database_guid;
    /// a restore of its own backup keeps them, the recovery fork changes. SQLite: path and fingerprint). A
    /// database on no server is a file, and its path compares as the file system does.
    /// </summary>
    public bool IsSameDatabaseAs(DatabaseIdentity other) => Engine == other.Engine
        && Same(Server, other.Server) && Same(Database, other.Database, IsFile ? FilePaths : StringComparison.OrdinalIgnoreCase)
        && Same(DatabaseGuid, other.DatabaseGuid) && Same(Fingerprint, other.Fingerprint);

    private bool IsFile => string.IsNullOrEmpty(Server);

    /// <summary>A part not read (null or empty, as older manifests wrote it) matches a part not read.</summary>
    private static bool Same(string? a, string? b, StringComparison comparison = StringComparison.OrdinalIgnoreCase) => string.Equals(a ?? "", b ?? "", comparison);

    private static StringComparison FilePaths => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public override string ToString() => IsFile ? $"{Database} (fingerprint {Fingerprint?[..Math.Min(12, Fingerprint.Length)]})" : $"{Server}\\{Database} (database_guid {DatabaseGuid})";
}

/// <summary>The highest key an application table (OSUSR_*) had handed out before the rollback.</summary>
public sealed record IdentityHighWater(string Table, string? Column, long Value, bool Reseedable);

/// <summary>What a reseed did: tables moved above their mark, and what could not be reseeded (and why).</summary>
public sealed record IdentityReseedReport(int Reseeded, IReadOnlyList<string> Warnings);
