using System.Data.Common;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// Runs an analysed repair on one connection, in one transaction: the statements in order (rows
/// changed each), then every check. Commits only when asked and every check returned no row;
/// otherwise everything is rolled back. A failing statement rolls back and is RepairStatementFailed.
/// </summary>
public static class RepairRunner
{
    /// <summary>Rows of a failing check kept for the report and the error message.</summary>
    public const int SampleRowLimit = 20;

    public sealed record Outcome(IReadOnlyList<RepairStatementResult> Statements, IReadOnlyList<RepairCheckResult> Checks, bool Committed);

    public static Outcome Run(DbConnection connection, RepairAnalysis analysis, bool commitWhenChecksPass, string databaseName, Action? beforeCommit, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction();
        var statements = new List<RepairStatementResult>();
        var checks = new List<RepairCheckResult>();
        var current = "";
        try
        {
            foreach (var statement in analysis.Statements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current = $"statement {statement.Number} ({statement.Summary})";
                using var command = Command(connection, transaction, statement.Text);
                var rows = command.ExecuteNonQuery();
                statements.Add(new RepairStatementResult(statement.Number, statement.Summary, statement.Table!, Math.Max(rows, 0)));
            }
            foreach (var check in analysis.Checks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current = $"check {check.Number} ({check.Summary})";
                checks.Add(RunCheck(connection, transaction, check));
            }
        }
        catch (DbException ex)
        {
            transaction.Rollback();
            throw new OsRollbackException("RepairStatementFailed", OsErrorCategory.InvalidResult,
                $"The repair failed at {current} on {databaseName}: {ex.Message}. Everything was rolled back; nothing was changed.", databaseName,
                "Fix the statement (rehearse it again with -Rehearse), then run the repair again.", ex);
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
        var commit = commitWhenChecksPass && checks.All(c => c.Passed);
        if (!commit)
        {
            transaction.Rollback();
            return new Outcome(statements, checks, false);
        }
        try
        {
            beforeCommit?.Invoke();
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
        transaction.Commit();
        return new Outcome(statements, checks, commit);
    }

    private static RepairCheckResult RunCheck(DbConnection connection, DbTransaction transaction, RepairStatement check)
    {
        using var command = Command(connection, transaction, check.Text);
        using var reader = command.ExecuteReader();
        var sample = new List<IReadOnlyDictionary<string, object?>>();
        long count = 0;
        do
        {
            while (reader.Read())
            {
                count++;
                if (sample.Count >= SampleRowLimit) continue;
                var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                sample.Add(row);
            }
        }
        while (reader.NextResult());
        return new RepairCheckResult(check.Number, check.Summary, count, sample);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        command.CommandTimeout = 0; // a repair of a large table must not be cut off half-way: it is one transaction either way
        return command;
    }
}
