using OsRollback.Engine.Data;

namespace OsRollback.Engine.Schema;

/// <summary>Identifier quoting per engine: [..] with ]] on SQL Server, ".." with "" on SQLite.</summary>
public static class SqlNames
{
    public static string Quote(DatabaseEngineKind engine, string identifier) => engine == DatabaseEngineKind.SqlServer
        ? "[" + identifier.Replace("]", "]]") + "]"
        : "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>A table name, schema-qualified on SQL Server (dbo when none is known).</summary>
    public static string QuoteTable(DatabaseEngineKind engine, string? schema, string table) => engine == DatabaseEngineKind.SqlServer
        ? Quote(engine, string.IsNullOrEmpty(schema) ? "dbo" : schema) + "." + Quote(engine, table)
        : Quote(engine, table);

    /// <summary>A string literal: N'..' on SQL Server, '..' on SQLite, with quotes doubled.</summary>
    public static string StringLiteral(DatabaseEngineKind engine, string value) =>
        (engine == DatabaseEngineKind.SqlServer ? "N'" : "'") + value.Replace("'", "''") + "'";

    /// <summary>
    /// True when a name matches any of the patterns (case-insensitive; * and ? wildcards).
    /// An empty pattern list matches everything.
    /// </summary>
    public static bool MatchesAny(string? name, IReadOnlyCollection<string>? patterns) => NamePatterns.MatchesAny(name, patterns);
}
