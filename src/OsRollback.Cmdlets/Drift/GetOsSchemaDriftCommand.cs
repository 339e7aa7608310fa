using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Schema;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// Get-OsSchemaDrift: what the schema of the database now has that the rollback point's
/// snapshot (or a second database) has not, and the reverse. Never drops anything;
/// -OutputScriptOnly writes a clean-up script for review.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OsSchemaDrift", DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(SchemaDriftItem), typeof(string))]
public sealed class GetOsSchemaDriftCommand : OsDatabaseCmdlet
{
    /// <summary>The reference as a second database on SQL Server (default instance: -SqlInstance).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ReferenceDatabase { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNull]
    public DatabaseInstanceParameter? ReferenceSqlInstance { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? ReferenceSqlCredential { get; set; }

    /// <summary>The reference as a second SQLite database.</summary>
    [Parameter(ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string? ReferenceSqlitePath { get; set; }

    /// <summary>A rollback point (object from Get-OsRollbackPoint, Id, folder or its rollback-point.json), a schema-snapshot.json, or an object with Path or SchemaSnapshotPath.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    [RollbackPointTransformation]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    public RollbackPointReference? RollbackPoint { get; set; }

    /// <summary>The rollback point catalog for an Id given to -RollbackPoint (default OSROLLBACK_HOME, else ~/.osrollback).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Write the clean-up script (text) instead of the drift objects.</summary>
    [Parameter]
    public SwitchParameter OutputScriptOnly { get; set; }

    /// <summary>Do not count the rows holding data (faster on very large tables).</summary>
    [Parameter]
    public SwitchParameter NoRowCount { get; set; }

    protected override void ProcessRecord()
    {
        var current = GetDatabaseTarget();
        var items = Run(reporter =>
        {
            var reference = ReadReference(reporter);
            if (!Services.DatabaseBackup.Providers.For(reference.Engine).Handles(current))
                reporter.Warning($"The reference was captured on {reference.Engine} and the database is on {current.Engine}: type names differ between engines, so column changes are not meaningful.");
            return SchemaDriftAnalyzer.Compare(reference, current, new SchemaDriftOptions { CountRows = !NoRowCount.IsPresent }, reporter);
        });
        if (OutputScriptOnly.IsPresent)
            WriteObject(SchemaDriftAnalyzer.WriteCleanupScript(items, current.Engine, current.DisplayName));
        else
            foreach (var item in items) WriteObject(item);
    }

    /// <summary>The reference schema: the rollback point's snapshot, or a second database (exactly one of them).</summary>
    private SchemaSnapshot ReadReference(IOperationReporter reporter)
    {
        var database = ReferenceSqlitePath is not null || ReferenceDatabase is not null;
        if (database == (RollbackPoint is not null))
        {
            throw new OsRollbackException(database ? "DriftReferenceAmbiguous" : "DriftReferenceRequired", OsErrorCategory.InvalidArgument,
                database ? "Give either -RollbackPoint or a reference database, not both." : "No reference was given to compare the database with.", null,
                "Give -RollbackPoint (or pipe a rollback point), or -ReferenceDatabase / -ReferenceSqlitePath.");
        }
        if (RollbackPoint is not null) return ReadRollbackPointSnapshot(RollbackPoint, reporter);
        var other = ReferenceTarget(ReferenceSqlitePath, ReferenceSqlInstance, ReferenceDatabase, ReferenceSqlCredential);
        return SchemaSnapshotReader.Capture(other, new SchemaCaptureOptions { IncludeRowCounts = false }, reporter);
    }

    /// <summary>A rollback point (object, Id or folder) is checked against its checksums first; a bare snapshot file is read as given.</summary>
    private SchemaSnapshot ReadRollbackPointSnapshot(RollbackPointReference input, IOperationReporter reporter)
    {
        if (input.IsRefused)
        {
            throw new OsRollbackException("RollbackPointInvalid", OsErrorCategory.InvalidArgument,
                "The rollback point given has no SchemaSnapshotPath or Path property.", input.ToString(),
                "Pass a rollback point folder, its rollback-point.json, a schema-snapshot.json file, or an object with a SchemaSnapshotPath or Path property.");
        }
        var path = input.Text is { } text ? GetUnresolvedProviderPathFromPSPath(text) : null;
        var point = input.Given
            ?? (input.Text is { } id && !ArgumentForms.LooksLikePath(id) && !File.Exists(path) && !Directory.Exists(path) ? RollbackInputs.Catalog(this, CatalogPath).Open(id) : null)
            ?? Engine.Rollback.RollbackPointSchemaSnapshot.PointOf(path!);
        if (point is not null)
        {
            reporter.Verbose($"Reading the schema snapshot of rollback point {point.Id}, checked against its checksums.");
            return Engine.Rollback.RollbackPointSchemaSnapshot.Read(Engine.Rollback.RollbackCatalog.Load(point.Path));
        }
        var file = SchemaSnapshotFile.ResolveRollbackPointPath(path!);
        reporter.Verbose($"Reading the schema snapshot {file} (a file outside a rollback point: no checksum to check it against).");
        return SchemaSnapshotFile.Read(file);
    }
}
