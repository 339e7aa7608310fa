using OsRollback.Engine.Data;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Providers;

/// <summary>
/// Picks the <see cref="IDatabaseProvider"/> of a target, once. The only place that knows which
/// engines exist: a new engine is its own folder beside <c>SqlServer/</c> and <c>Sqlite/</c>, plus
/// one line in <see cref="Create"/>.
/// </summary>
public sealed class DatabaseProviders
{
    private readonly IReadOnlyList<IDatabaseProvider> _providers;

    /// <summary>The given providers (tests add an engine this way without shipping it).</summary>
    public DatabaseProviders(IEnumerable<IDatabaseProvider> providers) => _providers = providers.ToList();

    /// <summary>The shipped engines.</summary>
    /// <param name="time">Clock (tests pass a fake one).</param>
    /// <param name="openSqlSession">Opens a SQL Server session on the target's server in the given database (null: the target's); tests pass a recording fake.</param>
    public static DatabaseProviders Create(TimeProvider? time = null, Func<SqlServerTarget, string?, ISqlSession>? openSqlSession = null)
    {
        time ??= TimeProvider.System;
        openSqlSession ??= (target, database) => SqlClientSession.Open(target, database);
        return new DatabaseProviders(
        [
            new SqlServerProvider(time, openSqlSession),
            new SqliteProvider(time),
        ]);
    }

    /// <summary>The shared default (system clock, real connections).</summary>
    public static DatabaseProviders Default { get; } = Create();

    /// <summary>Every provider, in the order they are asked.</summary>
    public IReadOnlyList<IDatabaseProvider> All => _providers;

    /// <summary>The provider of a target.</summary>
    public IDatabaseProvider For(DatabaseTarget target) => _providers.FirstOrDefault(p => p.Handles(target))
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, $"'{target.DisplayName}' is neither SQL Server nor SQLite.", target.DisplayName,
            "Use -SqlInstance/-Database or -SqlitePath.");

    /// <summary>The provider of an engine recorded in a rollback point or a backup.</summary>
    public IDatabaseProvider For(DatabaseEngineKind kind) => _providers.FirstOrDefault(p => p.Kind == kind)
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, $"No database provider for the engine {kind}.", kind.ToString(),
            "Use a SQL Server or SQLite platform database.");

    /// <summary>The SQL Server provider, for the commands only SQL Server has (backup script, Azure copy swap, restore script).</summary>
    internal SqlServerProvider SqlServer => _providers.OfType<SqlServerProvider>().Single();
}
