using System.Data.Common;
using System.Globalization;
using System.Text;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Drift;

public enum SchemaDriftKind { TableAdded, ColumnAdded, ColumnChanged, IndexAdded, TableMissing, ColumnMissing, IndexMissing }

/// <summary>One difference between the reference schema (rollback point) and the database now.</summary>
public sealed class SchemaDriftItem
{
    public SchemaDriftKind Kind { get; init; }
    public string Table { get; init; } = "";
    public string? Schema { get; init; }
    public string? Column { get; init; }
    public string? Index { get; init; }
    public string? Entity { get; init; }
    public string? Attribute { get; init; }
    public string? Module { get; init; }
    /// <summary>False when the platform marks the entity/attribute as deleted (the storage stays).</summary>
    public bool? IsActiveInPlatform { get; init; }
    public string? ReferenceDefinition { get; init; }
    public string? CurrentDefinition { get; init; }
    /// <summary>Rows holding data in the added table or column (non-NULL values); null when not counted.</summary>
    public long? RowsWithData { get; set; }
    public string Recommendation { get; set; } = "";
    public string Database { get; init; } = "";
}

public sealed class SchemaDriftOptions
{
    /// <summary>Count the rows holding data in added tables and columns (reads the current database).</summary>
    public bool CountRows { get; init; } = true;
}

/// <summary>
/// Compares a reference schema (a rollback point's snapshot, or a second database) with the
/// database now, and writes a clean-up script for review. It never changes a database.
/// </summary>
public static class SchemaDriftAnalyzer
{
    public static IReadOnlyList<SchemaDriftItem> Compare(SchemaSnapshot reference, DatabaseTarget current, SchemaDriftOptions? options, IOperationReporter reporter)
    {
        options ??= new SchemaDriftOptions();
        var now = SchemaSnapshotReader.Capture(current, new SchemaCaptureOptions { IncludeRowCounts = true }, reporter);
        var items = Compare(reference, now);
        if (options.CountRows && items.Count > 0)
        {
            var data = DatabaseProviders.Default.For(current).TableData;
            using var connection = data.OpenReadOnly(current);
            CountRowsWithData(connection, data, items, reporter);
        }
        foreach (var item in items) item.Recommendation = Recommend(item);
        reporter.Verbose($"{items.Count} schema differences between {reference.Source} (captured {reference.CapturedAt:u}) and {current.DisplayName}.");
        return items;
    }

    /// <summary>
    /// What a rollback leaves behind: the tables and columns of <paramref name="current"/> that the
    /// rollback point's snapshot lacks, with the rows holding data in them (the run report and Test-OsRollForward).
    /// </summary>
    public static IEnumerable<SchemaDriftItem> LeftBehind(SchemaSnapshot reference, DatabaseTarget current, IOperationReporter reporter) =>
        Compare(reference, current, new SchemaDriftOptions { CountRows = true }, reporter)
            .Where(i => i.Kind is SchemaDriftKind.TableAdded or SchemaDriftKind.ColumnAdded);

    /// <summary>The differences between two snapshots, without row counts or recommendations' counts.</summary>
    public static List<SchemaDriftItem> Compare(SchemaSnapshot reference, SchemaSnapshot current)
    {
        var items = new List<SchemaDriftItem>();
        foreach (var table in current.Tables)
        {
            var old = reference.FindTable(table.Name);
            if (old is null)
            {
                items.Add(new SchemaDriftItem
                {
                    Kind = SchemaDriftKind.TableAdded, Table = table.Name, Schema = table.Schema, Entity = table.Entity, Module = table.Module,
                    IsActiveInPlatform = table.EntityIsActive, CurrentDefinition = $"{table.Columns.Count} columns", Database = current.Source,
                    RowsWithData = table.RowCount,
                });
                continue;
            }
            foreach (var column in table.Columns)
            {
                var was = old.FindColumn(column.Name);
                if (was is null)
                {
                    items.Add(ColumnItem(SchemaDriftKind.ColumnAdded, table, column, null, column.Definition, current.Source));
                }
                else if (!SameType(was, column))
                {
                    items.Add(ColumnItem(SchemaDriftKind.ColumnChanged, table, column, was.Definition, column.Definition, current.Source));
                }
            }
            foreach (var was in old.Columns.Where(c => table.FindColumn(c.Name) is null))
                items.Add(ColumnItem(SchemaDriftKind.ColumnMissing, table, was, was.Definition, null, current.Source));
            foreach (var index in table.Indexes.Where(i => !i.IsPrimaryKey && !old.Indexes.Any(o => string.Equals(o.Name, i.Name, StringComparison.OrdinalIgnoreCase))))
            {
                items.Add(new SchemaDriftItem
                {
                    Kind = SchemaDriftKind.IndexAdded, Table = table.Name, Schema = table.Schema, Index = index.Name, Entity = table.Entity, Module = table.Module,
                    IsActiveInPlatform = table.EntityIsActive, CurrentDefinition = IndexDefinition(index), Database = current.Source,
                });
            }
            foreach (var index in old.Indexes.Where(i => !i.IsPrimaryKey && !table.Indexes.Any(o => string.Equals(o.Name, i.Name, StringComparison.OrdinalIgnoreCase))))
            {
                items.Add(new SchemaDriftItem
                {
                    Kind = SchemaDriftKind.IndexMissing, Table = table.Name, Schema = table.Schema, Index = index.Name, Entity = table.Entity, Module = table.Module,
                    ReferenceDefinition = IndexDefinition(index), Database = current.Source,
                });
            }
        }
        foreach (var table in reference.Tables.Where(t => current.FindTable(t.Name) is null))
        {
            items.Add(new SchemaDriftItem
            {
                Kind = SchemaDriftKind.TableMissing, Table = table.Name, Schema = table.Schema, Entity = table.Entity, Module = table.Module,
                ReferenceDefinition = $"{table.Columns.Count} columns", Database = current.Source,
            });
        }
        foreach (var item in items) item.Recommendation = Recommend(item);
        return items;
    }

    private static SchemaDriftItem ColumnItem(SchemaDriftKind kind, TableSnapshot table, ColumnSnapshot column, string? was, string? now, string database) => new()
    {
        Kind = kind, Table = table.Name, Schema = table.Schema, Column = column.Name, Entity = table.Entity, Attribute = column.Attribute,
        Module = table.Module, IsActiveInPlatform = column.AttributeIsActive ?? table.EntityIsActive,
        ReferenceDefinition = was, CurrentDefinition = now, Database = database,
    };

    private static bool SameType(ColumnSnapshot a, ColumnSnapshot b) =>
        string.Equals(a.DataType, b.DataType, StringComparison.OrdinalIgnoreCase) && a.MaxLength == b.MaxLength
        && a.Precision == b.Precision && a.Scale == b.Scale && a.IsNullable == b.IsNullable;

    private static string IndexDefinition(IndexSnapshot index) => (index.IsUnique ? "UNIQUE " : "") + "(" + string.Join(", ", index.Columns) + ")";

    private static void CountRowsWithData(DbConnection connection, ITableData data, List<SchemaDriftItem> items, IOperationReporter reporter)
    {
        foreach (var item in items.Where(i => i.Kind is SchemaDriftKind.TableAdded or SchemaDriftKind.ColumnAdded or SchemaDriftKind.ColumnChanged))
        {
            var table = data.QuoteTable(item.Schema, item.Table);
            var sql = item.Column is null
                ? $"SELECT COUNT(*) FROM {table}"
                : $"SELECT COUNT(*) FROM {table} WHERE {data.Quote(item.Column)} IS NOT NULL";
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                item.RowsWithData = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (DbException ex)
            {
                reporter.Warning($"Cannot count the rows of {item.Table}{(item.Column is null ? "" : "." + item.Column)}: {ex.Message}");
            }
        }
    }

    private static string Recommend(SchemaDriftItem item)
    {
        var rows = item.RowsWithData;
        var holds = rows is null ? "" : rows == 0 ? " It holds no data." : $" It holds data in {rows} rows.";
        var inactive = item.IsActiveInPlatform == false ? " The platform marks it as deleted." : "";
        return item.Kind switch
        {
            SchemaDriftKind.TableAdded when rows == 0 =>
                "Added by the rolled-back version and empty: can be dropped after review (the clean-up script has it). It is created again if that version is redeployed." + inactive,
            SchemaDriftKind.TableAdded =>
                "Added by the rolled-back version." + holds + " Keep it until that data is archived or moved; the running version does not read it." + inactive,
            SchemaDriftKind.ColumnAdded when rows == 0 =>
                "Added by the rolled-back version and empty: can be dropped after review." + inactive,
            SchemaDriftKind.ColumnAdded =>
                "Added by the rolled-back version." + holds + " The running version ignores it; archive the values before dropping it." + inactive,
            SchemaDriftKind.ColumnChanged =>
                $"Changed from {item.ReferenceDefinition} to {item.CurrentDefinition}; OutSystems does not change it back." + holds + " Check that the values fit the running version's definition before any manual change.",
            SchemaDriftKind.IndexAdded =>
                "Added by the rolled-back version: harmless to reads; drop it after review if writes are slower.",
            SchemaDriftKind.TableMissing =>
                "In the reference but not in the database now: a restore or a manual drop removed it. Republishing the module that owns it recreates it empty.",
            SchemaDriftKind.ColumnMissing =>
                "In the reference but not in the database now. Republishing the module recreates it; its old values are only in the backup.",
            SchemaDriftKind.IndexMissing =>
                "In the reference but not in the database now: republish the owning module or recreate it from the reference.",
            _ => "",
        };
    }

    /// <summary>
    /// A clean-up script for a DBA to review: drops the indexes, columns and tables the
    /// rolled-back version added, in one transaction. Objects that hold data are written
    /// commented out. Nothing is executed here.
    /// </summary>
    public static string WriteCleanupScript(IEnumerable<SchemaDriftItem> items, DatabaseEngineKind engine, string source)
    {
        var list = items.ToList();
        var sb = new StringBuilder();
        var data = DatabaseProviders.Default.For(engine).TableData;
        sb.AppendLine("-- OsRollback schema drift clean-up script: REVIEW BEFORE RUNNING.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"-- Database: {OneLine(source)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"-- Written: {DateTimeOffset.UtcNow:u}");
        sb.AppendLine("-- Drops what the rolled-back version added. Statements for objects that hold data are commented out:");
        sb.AppendLine("-- archive that data first. A later redeploy of that version creates these objects again.");
        sb.AppendLine(data.BeginTransaction);
        var n = 0;
        foreach (var item in list.Where(i => i.Kind == SchemaDriftKind.IndexAdded && !list.Any(t => t.Kind == SchemaDriftKind.TableAdded && t.Table == i.Table)))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"-- {OneLine(item.Table)}: index {OneLine(item.Index)} {OneLine(item.CurrentDefinition)}");
            sb.AppendLine(data.DropIndex(item.Index!, item.Schema, item.Table));
        }
        foreach (var item in list.Where(i => i.Kind == SchemaDriftKind.ColumnAdded))
        {
            Func<string, string> prefix = item.RowsWithData is 0 ? x => x : SqlScriptText.CommentOut;
            sb.AppendLine(CultureInfo.InvariantCulture, $"-- {OneLine(item.Table)}.{OneLine(item.Column)} ({OneLine(item.Entity)}.{OneLine(item.Attribute)}, module {OneLine(item.Module)}): {RowsText(item)}");
            foreach (var statement in data.DropColumn(item.Schema, item.Table, item.Column!, ++n))
                sb.AppendLine(prefix(statement));
        }
        foreach (var item in list.Where(i => i.Kind == SchemaDriftKind.TableAdded))
        {
            Func<string, string> prefix = item.RowsWithData is 0 ? x => x : SqlScriptText.CommentOut;
            sb.AppendLine(CultureInfo.InvariantCulture, $"-- {OneLine(item.Table)} (entity {OneLine(item.Entity)}, module {OneLine(item.Module)}): {RowsText(item)}");
            sb.AppendLine(prefix($"DROP TABLE {data.QuoteTable(item.Schema, item.Table)};"));
        }
        foreach (var item in list.Where(i => i.Kind == SchemaDriftKind.ColumnChanged))
            sb.AppendLine(CultureInfo.InvariantCulture, $"-- Not scripted: {OneLine(item.Table)}.{OneLine(item.Column)} changed from {OneLine(item.ReferenceDefinition)} to {OneLine(item.CurrentDefinition)}; decide by hand.");
        sb.AppendLine(data.CommitTransaction);
        return sb.ToString();
    }

    private static string RowsText(SchemaDriftItem item) => item.RowsWithData switch
    {
        null => "rows not counted, review before uncommenting",
        0 => "empty",
        var r => $"holds data in {r} rows, kept commented out",
    };

    // Names go into comments; a line break in a name must not end the comment.
    private static string OneLine(string? text) => (text ?? "?").Replace("\r", " ").Replace("\n", " ");
}
