using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace OsRollback.Engine.Tests.Support;

/// <summary>Checks that T-SQL the engine emits is accepted by SQL Server's own parser.</summary>
public static class TSql
{
    public static TSqlFragment AssertParses(string sql)
    {
        using var reader = new StringReader(sql);
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        Assert.True(errors.Count == 0,
            "T-SQL does not parse:\n" + string.Join("\n", errors.Select(e => $"  line {e.Line}, column {e.Column}: {e.Message}")) + "\n---\n" + sql);
        return fragment;
    }
}
