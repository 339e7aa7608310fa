using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// <see cref="IIdentityReseeder"/> over the target's database provider: SQL Server reads
/// sys.identity_columns and reseeds with DBCC CHECKIDENT; SQLite moves sqlite_sequence (a table
/// without AUTOINCREMENT cannot be reseeded and is reported as a warning).
/// </summary>
public sealed class IdentityReseeder : IIdentityReseeder
{
    private readonly DatabaseProviders _providers;

    public IdentityReseeder(DatabaseProviders? providers = null) => _providers = providers ?? DatabaseProviders.Default;

    /// <summary>With a SQL Server session opener (tests pass a recording fake).</summary>
    public IdentityReseeder(Func<SqlServerTarget, ISqlSession> openSqlServer)
        : this(DatabaseProviders.Create(openSqlSession: (target, database) => openSqlServer(database is null ? target : target.WithDatabase(database))))
    {
    }

    public Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget target, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).ReadHighWater(target, cancellationToken), cancellationToken);

    public Task<IdentityReseedReport> ReseedAsync(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).Reseed(target, marks, reporter, cancellationToken), cancellationToken);
}
