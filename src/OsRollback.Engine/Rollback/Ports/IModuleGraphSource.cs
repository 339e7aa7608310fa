using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>The module dependency graph of an environment (consumer to producer references).</summary>
public interface IModuleGraphSource
{
    Task<IReadOnlyList<ModuleDefinition>> ReadAsync(DatabaseTarget platformDatabase, IOperationReporter reporter, CancellationToken cancellationToken);
}

/// <summary>Reads the graph from the platform database's OSSYS_* tables (<see cref="MetamodelGraphReader"/>).</summary>
public sealed class MetamodelModuleGraphSource : IModuleGraphSource
{
    public Task<IReadOnlyList<ModuleDefinition>> ReadAsync(DatabaseTarget platformDatabase, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() => MetamodelGraphReader.Read(platformDatabase, reporter), cancellationToken);
}
