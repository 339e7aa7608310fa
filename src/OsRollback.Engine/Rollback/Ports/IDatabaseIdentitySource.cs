using OsRollback.Engine.Data;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>Reads a database's identity and the module versions published in it (OSSYS_ESPACE/OSSYS_EXTENSION).</summary>
public interface IDatabaseIdentitySource
{
    Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken);

    /// <summary>Published version key of every active module, by module key.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken);
}
