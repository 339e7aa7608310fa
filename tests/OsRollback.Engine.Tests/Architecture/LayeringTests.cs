using OsRollback.Engine.Data;

namespace OsRollback.Engine.Tests.Architecture;

/// <summary>
/// The engine's layers, checked on the compiled assembly: the database layer (Data, Database and
/// its engine folders) never reaches up into rollback code, the engine folders are reached only
/// through the provider factory, and no new group of namespaces that use each other appears.
/// </summary>
public class LayeringTests
{
    private const string Root = NamespaceGraph.Root;

    /// <summary>Namespaces of the rollback core that still use each other; a cycle beyond these fails.</summary>
    private static readonly string[] KnownRollbackKnot =
        [$"{Root}.Rollback", $"{Root}.Rollback.Execution", $"{Root}.Rollback.Execution.Steps", $"{Root}.Rollback.Planning"];

    /// <summary>Code outside the provider factory that names an engine folder: the plan's T-SQL script writer (-OutputScriptOnly), SQL Server only by nature.</summary>
    private static readonly string[] KnownEngineFolderUsers = [$"{Root}.Rollback.Scripting"];

    private static readonly NamespaceGraph Graph = NamespaceGraph.Of(typeof(DatabaseTarget).Assembly);

    private static bool IsDatabaseLayer(string ns) => ns == $"{Root}.Data" || ns == $"{Root}.Database" || ns.StartsWith($"{Root}.Database.", StringComparison.Ordinal);

    private static bool IsEngineFolder(string ns) => ns is $"{Root}.Database.SqlServer" or $"{Root}.Database.Sqlite";

    [Fact]
    public void The_database_layer_references_no_rollback_drift_or_platform_code()
    {
        var upward = Graph.Edges
            .Where(e => IsDatabaseLayer(e.Key))
            .SelectMany(e => e.Value.Where(to => !IsDatabaseLayer(to) && to is not ($"{Root}.Diagnostics" or $"{Root}.Security" or Root)).Select(to => (e.Key, to)))
            .SelectMany(edge => Graph.Why[edge].Select(why => $"{edge.Key} -> {edge.to}: {why}"))
            .ToList();
        Assert.True(upward.Count == 0, "Upward references:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Only_the_provider_factory_reaches_into_the_engine_folders()
    {
        var reaching = Graph.Edges
            .Where(e => !IsEngineFolder(e.Key) && e.Key != $"{Root}.Database.Providers" && !KnownEngineFolderUsers.Contains(e.Key))
            .SelectMany(e => e.Value.Where(IsEngineFolder).Select(to => (e.Key, to)))
            .SelectMany(edge => Graph.Why[edge].Select(why => $"{edge.Key} -> {edge.to}: {why}"))
            .ToList();
        Assert.True(reaching.Count == 0, "Engine folders reached outside DatabaseProviders:\n" + string.Join("\n", reaching));
    }

    [Fact]
    public void The_two_engine_folders_do_not_use_each_other()
    {
        Assert.DoesNotContain($"{Root}.Database.Sqlite", Graph.Edges[$"{Root}.Database.SqlServer"]);
        Assert.DoesNotContain($"{Root}.Database.SqlServer", Graph.Edges[$"{Root}.Database.Sqlite"]);
    }

    [Fact]
    public void No_namespace_cycle_beyond_the_known_rollback_knot()
    {
        var cycles = Graph.Cycles();
        var unexpected = cycles.Where(c => !c.IsSubsetOf(KnownRollbackKnot)).Select(c => string.Join(", ", c)).ToList();
        Assert.True(unexpected.Count == 0, "Namespaces that use each other:\n" + string.Join("\n", unexpected));
        Assert.DoesNotContain(cycles, c => c.Any(IsDatabaseLayer));
    }

    [Fact]
    public void The_graph_sees_references_made_inside_method_bodies()
    {
        // The check above is only as good as the graph: Providers constructs the engines only inside a method body.
        Assert.Contains($"{Root}.Database.SqlServer", Graph.Edges[$"{Root}.Database.Providers"]);
        Assert.Contains($"{Root}.Database.Sqlite", Graph.Edges[$"{Root}.Database.Providers"]);
    }
}
