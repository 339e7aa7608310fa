using System.Globalization;
using System.Text;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// Quoting of everything a user types that ends up in T-SQL text: names become delimited
/// identifiers ([..] with ] doubled), paths and logical names become N'..' literals with '
/// doubled. Nothing else is ever concatenated into a statement.
/// </summary>
public static class SqlText
{
    /// <summary>A delimited identifier, as QUOTENAME does; refuses names SQL Server would refuse.</summary>
    public static string QuoteName(string name)
    {
        ValidateName(name);
        return "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";
    }

    /// <summary>A Unicode string literal.</summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0')) throw new OsRollbackException("InvalidSqlText", OsErrorCategory.InvalidArgument, "A name or path contains a NUL character.", null, "Remove the NUL character.");
        return "N'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Database names: 1 to 128 characters, no NUL.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128 || name.Contains('\0'))
        {
            throw new OsRollbackException("InvalidDatabaseName", OsErrorCategory.InvalidArgument,
                $"'{name}' is not a valid SQL Server name (1 to 128 characters, no NUL).", name,
                "Give a database name of 1 to 128 characters.");
        }
    }

    /// <summary>A comment line that cannot end the comment early or start a new statement.</summary>
    public static string Comment(string text) =>
        "-- " + text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
