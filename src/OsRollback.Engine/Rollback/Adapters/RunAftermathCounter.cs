using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>The report's counts from the schema drift analyzer and the data comparer (what Get-OsSchemaDrift and Compare-OsDatabaseData show).</summary>
public sealed class RunAftermathCounter : IRunAftermathCounter
{
    public IReadOnlyList<LeftoverSchema> LeftBehind(string schemaSnapshotPath, DatabaseTarget database, IOperationReporter reporter)
    {
        var snapshot = SchemaSnapshotFile.Read(schemaSnapshotPath);
        return SchemaDriftAnalyzer.LeftBehind(snapshot, database, reporter)
            .Select(i => new LeftoverSchema { Table = i.Table, Column = i.Column, Entity = i.Entity, Attribute = i.Attribute, Module = i.Module, Rows = i.RowsWithData })
            .ToList();
    }

    /// <summary>The live database against the parallel one, on the rows written since the pre-deploy backup (tables without time columns whole).</summary>
    public IReadOnlyList<RecoveredTable> Recovered(DatabaseTarget database, string preRollbackBackup, string parallelSuffix, DateTimeOffset? since, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        // The parallel database as the step named it: the provider's plan is pure, so it names the same one.
        var parallel = DatabaseProviders.Default.For(database).PlanParallel(database, preRollbackBackup, parallelSuffix).Target;
        var options = new DataCompareOptions { Since = since?.UtcDateTime };
        return new DataComparer(database, parallel, options, reporter).Compare(null, cancellationToken)
            .Where(t => t.HasDifferences || t.Status != TableCompareStatus.Compared)
            .Select(t => new RecoveredTable
            {
                Table = t.Table, Entity = t.Entity, Inserted = t.Inserted, Changed = t.Changed, Deleted = t.Deleted,
                Note = t.Status == TableCompareStatus.Compared ? null : t.Message ?? t.Status.ToString(),
            }).ToList();
    }
}
