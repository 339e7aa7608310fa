using OsRollback.Engine.Data;

namespace OsRollback.Engine.Rollback.Ports;

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

/// <summary>Reads a database's identity and the module versions published in it (OSSYS_ESPACE/OSSYS_EXTENSION).</summary>
public interface IDatabaseIdentitySource
{
    Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken);

    /// <summary>Published version key of every active module, by module key.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken);
}
