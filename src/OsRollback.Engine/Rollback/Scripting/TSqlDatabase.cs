using OsRollback.Engine.Data;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>
/// The one place the runbook asks which engine it writes for: T-SQL for a SQL Server database;
/// the steps of any other engine are listed as comments.
/// </summary>
internal static class TSqlDatabase
{
    /// <summary>Whether the runbook writes T-SQL for a database of <paramref name="engine"/>.</summary>
    public static bool IsTSql(DatabaseEngineKind engine) => engine == DatabaseEngineKind.SqlServer;

    /// <summary>The SQL Server database the step's T-SQL is written for; null for another engine or none.</summary>
    public static SqlServerTarget? Of(DatabaseTarget? target) => target is not null && IsTSql(target.Engine) ? (SqlServerTarget)target : null;
}
