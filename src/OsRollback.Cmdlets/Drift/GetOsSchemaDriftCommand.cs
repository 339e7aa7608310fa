using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
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
[Cmdlet(VerbsCommon.Get, "OsSchemaDrift", DefaultParameterSetName = SqliteRollbackPointSet)]
[OutputType(typeof(SchemaDriftItem), typeof(string))]
public sealed class GetOsSchemaDriftCommand : OsCmdlet
{
    public const string SqliteSet = "Sqlite";
    public const string SqliteRollbackPointSet = "SqliteRollbackPoint";
    public const string SqlServerSet = "SqlServer";
    public const string SqlServerRollbackPointSet = "SqlServerRollbackPoint";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [Parameter(Mandatory = true, ParameterSetName = SqlServerRollbackPointSet)]
    [ValidateNotNullOrEmpty]
    public string SqlInstance { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [Parameter(Mandatory = true, ParameterSetName = SqlServerRollbackPointSet)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string ReferenceDatabase { get; set; } = "";

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ReferenceSqlInstance { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Parameter(ParameterSetName = SqlServerRollbackPointSet)]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? ReferenceSqlCredential { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Parameter(ParameterSetName = SqlServerRollbackPointSet)]
    public SwitchParameter TrustServerCertificate { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Parameter(ParameterSetName = SqlServerRollbackPointSet)]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [Parameter(Mandatory = true, ParameterSetName = SqliteRollbackPointSet)]
    [ValidateNotNullOrEmpty]
    public string SqlitePath { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string ReferenceSqlitePath { get; set; } = "";

    /// <summary>A rollback point (object from Get-OsRollbackPoint, Id, folder or its rollback-point.json), a schema-snapshot.json, or an object with SchemaSnapshotPath or Path.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SqliteRollbackPointSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SqlServerRollbackPointSet)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    public PSObject? RollbackPoint { get; set; }

    /// <summary>The rollback point catalog for an Id given to -RollbackPoint (default OSROLLBACK_HOME, else ~/.osrollback).</summary>
    [Parameter(ParameterSetName = SqliteRollbackPointSet)]
    [Parameter(ParameterSetName = SqlServerRollbackPointSet)]
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
        var sqlServer = ParameterSetName is SqlServerSet or SqlServerRollbackPointSet;
        DatabaseTarget current = sqlServer
            ? DatabaseTargets.SqlServer(SqlInstance, Database, SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout)
            : new SqliteTarget(GetUnresolvedProviderPathFromPSPath(SqlitePath));
        var items = Run(reporter =>
        {
            SchemaSnapshot reference;
            if (ParameterSetName is SqliteRollbackPointSet or SqlServerRollbackPointSet)
            {
                reference = ReadRollbackPointSnapshot(RollbackPoint!, reporter);
            }
            else
            {
                DatabaseTarget other = sqlServer
                    ? DatabaseTargets.SqlServer(ReferenceSqlInstance ?? SqlInstance, ReferenceDatabase, ReferenceSqlCredential ?? SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout)
                    : new SqliteTarget(GetUnresolvedProviderPathFromPSPath(ReferenceSqlitePath));
                reference = SchemaSnapshotReader.Capture(other, new SchemaCaptureOptions { IncludeRowCounts = false }, reporter);
            }
            if (reference.Engine != current.Engine)
                reporter.Warning($"The reference was captured on {reference.Engine} and the database is on {current.Engine}: type names differ between engines, so column changes are not meaningful.");
            return SchemaDriftAnalyzer.Compare(reference, current, new SchemaDriftOptions { CountRows = !NoRowCount.IsPresent }, reporter);
        });
        if (OutputScriptOnly.IsPresent)
            WriteObject(SchemaDriftAnalyzer.WriteCleanupScript(items, current.Engine, current.DisplayName));
        else
            foreach (var item in items) WriteObject(item);
    }

    /// <summary>A rollback point (object, Id or folder) is checked against its checksums first; a bare snapshot file is read as given.</summary>
    private SchemaSnapshot ReadRollbackPointSnapshot(PSObject input, IOperationReporter reporter)
    {
        var value = input.BaseObject;
        Engine.Rollback.RollbackPoint? point = value switch
        {
            Engine.Rollback.RollbackPoint p => p,
            string id when id.IndexOfAny(['/', '\\']) < 0 && !id.StartsWith('.') && !id.StartsWith('~') && !File.Exists(GetUnresolvedProviderPathFromPSPath(id)) && !Directory.Exists(GetUnresolvedProviderPathFromPSPath(id))
                => Rollback.RollbackInputs.Catalog(this, CatalogPath).Open(id),
            _ => null,
        };
        point ??= Engine.Rollback.RollbackPointSchemaSnapshot.PointOf(ResolveRollbackPoint(input));
        if (point is not null)
        {
            reporter.Verbose($"Reading the schema snapshot of rollback point {point.Id}, checked against its checksums.");
            return Engine.Rollback.RollbackPointSchemaSnapshot.Read(Engine.Rollback.RollbackCatalog.Load(point.Path));
        }
        var path = SchemaSnapshotFile.ResolveRollbackPointPath(ResolveRollbackPoint(input));
        reporter.Verbose($"Reading the schema snapshot {path} (a file outside a rollback point: no checksum to check it against).");
        return SchemaSnapshotFile.Read(path);
    }

    private string ResolveRollbackPoint(PSObject input)
    {
        var value = input.BaseObject;
        string? path = value switch
        {
            string s => s,
            FileSystemInfo f => f.FullName,
            _ => (input.Properties["SchemaSnapshotPath"]?.Value ?? input.Properties["Path"]?.Value ?? input.Properties["FullName"]?.Value)?.ToString(),
        };
        if (string.IsNullOrWhiteSpace(path))
        {
            ThrowInvalid("RollbackPointInvalid", OsErrorCategory.InvalidArgument,
                "The rollback point given has no SchemaSnapshotPath or Path property.", input,
                "Pass a rollback point folder, its rollback-point.json, a schema-snapshot.json file, or an object with a SchemaSnapshotPath or Path property.");
        }
        return GetUnresolvedProviderPathFromPSPath(path);
    }
}
