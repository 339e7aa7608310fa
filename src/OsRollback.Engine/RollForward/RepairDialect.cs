using OsRollback.Engine.Data;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// The one place the data repair asks which engine it has: SQLite's own analysis (prepare and
/// authorizer) and a script for the sqlite3 shell, or T-SQL by ScriptDom. The analyses stay with
/// the repair because they apply its rules as they parse.
/// </summary>
internal static class RepairDialect
{
    public static bool IsSqlite(DatabaseEngineKind engine) => engine == DatabaseEngineKind.Sqlite;
}
