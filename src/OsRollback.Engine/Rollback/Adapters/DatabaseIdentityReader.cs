using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary><see cref="IDatabaseIdentitySource"/> over the target's database provider.</summary>
public sealed class DatabaseIdentityReader : IDatabaseIdentitySource
{
    private readonly DatabaseProviders _providers;

    public DatabaseIdentityReader(DatabaseProviders? providers = null) => _providers = providers ?? DatabaseProviders.Default;

    public Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).ReadIdentity(target, cancellationToken), cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).ReadPublishedModules(target, cancellationToken), cancellationToken);
}
