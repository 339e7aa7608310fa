namespace OsRollback.Engine.Platform;

/// <summary>
/// Which OSSYS_ENTITY_ATTR column names an attribute's physical column: PHYSICAL_COLUMN_NAME
/// first, then DATABASE_NAME (platform versions differ; see docs/platform.md). An empty value
/// counts as missing, so a row with an empty PHYSICAL_COLUMN_NAME falls to DATABASE_NAME, and a
/// row with neither keeps the attribute's own name.
/// </summary>
public static class AttributeColumnName
{
    public static readonly IReadOnlyList<string> Candidates = ["PHYSICAL_COLUMN_NAME", "DATABASE_NAME"];

    /// <param name="valueOf">The text of a column of the row, or null when the table has no such column or it is NULL.</param>
    /// <param name="attributeName">The attribute's NAME, the last resort.</param>
    public static string Resolve(Func<string, string?> valueOf, string attributeName)
    {
        foreach (var candidate in Candidates)
            if (valueOf(candidate) is { } value && !string.IsNullOrWhiteSpace(value)) return value.Trim();
        return attributeName;
    }
}
