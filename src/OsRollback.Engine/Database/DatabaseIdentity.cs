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
    /// <summary>Same database: SQL Server by server, name and database_guid (a restore of its own backup keeps it; the fork changes); SQLite by path and fingerprint.</summary>
    public bool IsSameDatabaseAs(DatabaseIdentity other) => Engine == other.Engine && Engine switch
    {
        DatabaseEngineKind.SqlServer => string.Equals(Server, other.Server, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Database, other.Database, StringComparison.OrdinalIgnoreCase)
            && string.Equals(DatabaseGuid, other.DatabaseGuid, StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(Database, other.Database, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            && string.Equals(Fingerprint, other.Fingerprint, StringComparison.OrdinalIgnoreCase),
    };

    public override string ToString() => Engine == DatabaseEngineKind.SqlServer ? $"{Server}\\{Database} (database_guid {DatabaseGuid})" : $"{Database} (fingerprint {Fingerprint?[..Math.Min(12, Fingerprint.Length)]})";
}

/// <summary>The highest key an application table (OSUSR_*) had handed out before the rollback.</summary>
public sealed record IdentityHighWater(string Table, string? Column, long Value, bool Reseedable);

/// <summary>What a reseed did: tables moved above their mark, and what could not be reseeded (and why).</summary>
public sealed record IdentityReseedReport(int Reseeded, IReadOnlyList<string> Warnings);
