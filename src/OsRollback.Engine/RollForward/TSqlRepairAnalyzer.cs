using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// SQL Server's analysis of a repair, by its own parser (ScriptDom, T-SQL 160): the script holds
/// only INSERT, UPDATE, DELETE or MERGE on application tables without an OUTPUT result set; each
/// check is one SELECT without INTO. Aliases (UPDATE o ... FROM OSUSR_X o) are resolved to tables.
/// </summary>
public static class TSqlRepairAnalyzer
{
    public static RepairAnalysis Analyze(RepairFiles files)
    {
        var statements = Parse(files.Script, files.ScriptPath).Select((s, i) => AsRepairStatement(i + 1, s, files.Script)).ToList();
        var checks = Parse(files.Check, files.CheckPath).Select((s, i) => AsCheck(i + 1, s, files.Check)).ToList();
        return new RepairAnalysis(statements, checks);
    }

    private static List<TSqlStatement> Parse(string sql, string file)
    {
        using var reader = new StringReader(sql);
        var fragment = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        if (errors.Count > 0)
            throw RepairRules.DoesNotParse(file, string.Join("; ", errors.Take(3).Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")));
        return fragment.Batches.SelectMany(b => b.Statements).ToList();
    }

    private static string TextOf(TSqlFragment fragment, string sql) => sql.Substring(fragment.StartOffset, fragment.FragmentLength);

    private static RepairStatement AsRepairStatement(int number, TSqlStatement statement, string sql)
    {
        var text = TextOf(statement, sql);
        var (kind, specification) = statement switch
        {
            InsertStatement i => (RepairStatementKind.Insert, (DataModificationSpecification)i.InsertSpecification),
            UpdateStatement u => (RepairStatementKind.Update, u.UpdateSpecification),
            DeleteStatement d => (RepairStatementKind.Delete, d.DeleteSpecification),
            MergeStatement m => (RepairStatementKind.Merge, m.MergeSpecification),
            SelectStatement { Into: null } => throw RepairRules.ReturnsRows(number, text),
            _ => throw RepairRules.NotDml(number, text, $"a {statement.GetType().Name.Replace("Statement", "", StringComparison.Ordinal)} statement"),
        };
        if (specification.OutputClause is not null) throw RepairRules.ReturnsRows(number, text);
        var table = TargetTable(specification);
        var result = new RepairStatement(number, text, kind, table);
        if (table is null || !RepairRules.IsApplicationTable(table)) throw RepairRules.NotApplicationTable(result, table ?? "(not a named table)");
        return result;
    }

    private static RepairStatement AsCheck(int number, TSqlStatement statement, string sql)
    {
        var text = TextOf(statement, sql);
        if (statement is not SelectStatement { Into: null } select || select.QueryExpression is null) throw RepairRules.CheckNotQuery(number, text);
        return new RepairStatement(number, text, RepairStatementKind.Query, null);
    }

    /// <summary>The table a statement writes: its named target, or the table an alias target stands for in the FROM clause.</summary>
    private static string? TargetTable(DataModificationSpecification specification)
    {
        if (specification.Target is not NamedTableReference named) return null;
        var name = named.SchemaObject.BaseIdentifier.Value;
        var from = specification switch
        {
            UpdateSpecification u => u.FromClause,
            DeleteSpecification d => d.FromClause,
            _ => null,
        };
        if (named.SchemaObject.SchemaIdentifier is null && from is not null)
        {
            var visitor = new AliasFinder(name);
            from.Accept(visitor);
            if (visitor.Table is { } aliased) return aliased;
        }
        return name;
    }

    private sealed class AliasFinder(string alias) : TSqlFragmentVisitor
    {
        public string? Table { get; private set; }

        public override void Visit(NamedTableReference node)
        {
            if (Table is null && node.Alias is { } a && string.Equals(a.Value, alias, StringComparison.OrdinalIgnoreCase))
                Table = node.SchemaObject.BaseIdentifier.Value;
        }
    }
}
