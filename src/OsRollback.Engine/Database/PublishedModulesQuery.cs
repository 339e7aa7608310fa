namespace OsRollback.Engine.Database;

/// <summary>The published modules of a platform database (OSSYS_ESPACE/OSSYS_EXTENSION).</summary>
public static class PublishedModulesQuery
{
    /// <summary>One text for both engines (the metamodel convention).</summary>
    public const string Text =
        "SELECT e.SS_KEY AS module_key, v.SS_KEY AS version_key FROM OSSYS_ESPACE e JOIN OSSYS_ESPACE_VERSION v ON v.ID = e.VERSION_ID WHERE e.IS_ACTIVE = 1\n" +
        "UNION ALL\n" +
        "SELECT x.SS_KEY AS module_key, v.SS_KEY AS version_key FROM OSSYS_EXTENSION x JOIN OSSYS_EXTENSION_VERSION v ON v.ID = x.VERSION_ID WHERE x.IS_ACTIVE = 1;";
}
