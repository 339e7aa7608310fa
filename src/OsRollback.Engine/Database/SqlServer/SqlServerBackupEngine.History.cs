using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server: backup history from msdb.</summary>
internal sealed partial class SqlServerBackupEngine
{
    public IReadOnlyList<BackupResult> GetHistory(SqlServerTarget target, BackupHistoryQuery query, CancellationToken ct)
    {
        using var session = _open(target, "msdb");
        var rows = session.ExecuteReader(SqlServerScripts.History,
        [
            new("@database", target.Database),
            new("@since", query.Since?.UtcDateTime),
            new("@includeCopyOnly", query.IncludeCopyOnly ? 1 : 0),
            new("@onlyOwn", query.OnlyOwn ? 1 : 0),
            new("@description", SqlServerScripts.BackupDescription),
        ], cancellationToken: ct);
        IEnumerable<BackupResult> results = ToResults(rows, target.SqlInstance);
        if (query.Path.Count > 0)
            results = results.Where(r => r.FilePath.Any(f => query.Path.Any(p => IsUnderFolder(f, p))));
        if (query.Last is int last) results = results.Take(last);
        return results.ToList();
    }
}
