using OsRollback.Engine.Data;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>What a step kind's script is written from: the plan, its rollback point and the time of writing.</summary>
public sealed class StepScriptContext
{
    public required RollbackPlan Plan { get; init; }
    public required RollbackPoint Point { get; init; }
    /// <summary>The time stamped into file names (the run stamps its own time).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The SQL Server database of the step (null: SQLite or none recorded).</summary>
    public SqlServerTarget? SqlServer(RollbackStep step) => TSqlDatabase.Of(DatabaseOf(step)?.Target);

    /// <summary>The database of the step as the run resolves it: platform or catalog, with its backup role and run-file suffix.</summary>
    public StepDatabaseTarget? DatabaseOf(RollbackStep step) => StepDatabase.Of(step, Plan, Point);

    /// <summary>The folder of the run's database backups, as the run will name it.</summary>
    public string DatabaseFolder => BackupCurrentHandler.DatabaseFolder(RollbackRun.RunFolder(Point, Plan));
}

/// <summary>One line of a step's script: a T-SQL statement, or a comment that says what happens without T-SQL.</summary>
public sealed record ScriptLine(string Text, bool IsStatement)
{
    public static ScriptLine Statement(string sql) => new(sql, true);
    public static ScriptLine Comment(string text) => new(Database.SqlServer.SqlText.Comment(text), false);
}

/// <summary>The T-SQL one step kind contributes to the runbook script, built by the same builders the step's run uses.</summary>
public interface IStepScript
{
    Type StepType { get; }
    IReadOnlyList<ScriptLine> Write(RollbackStep step, SqlServerTarget database, StepScriptContext context);
}

public abstract class StepScript<TStep> : IStepScript where TStep : RollbackStep
{
    public Type StepType => typeof(TStep);
    protected abstract IEnumerable<ScriptLine> Write(TStep step, SqlServerTarget database, StepScriptContext context);
    IReadOnlyList<ScriptLine> IStepScript.Write(RollbackStep step, SqlServerTarget database, StepScriptContext context) => Write((TStep)step, database, context).ToList();
}

/// <summary>Every step script of the engine assembly, by step type; a kind without one is written as its comment only.</summary>
public static class StepScripts
{
    private static readonly Dictionary<Type, IStepScript> ByStep = typeof(IStepScript).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IStepScript).IsAssignableFrom(t))
        .Select(t => (IStepScript)Activator.CreateInstance(t)!)
        .ToDictionary(s => s.StepType);

    public static IReadOnlyCollection<Type> ScriptedStepTypes => ByStep.Keys;

    public static IStepScript? For(RollbackStep step) => ByStep.GetValueOrDefault(step.GetType());
}

/// <summary>Splits a script of the engine's builders into its comment lines and its statements (each ends with ';' at a line end).</summary>
public static class ScriptLines
{
    public static IReadOnlyList<ScriptLine> Of(string script)
    {
        var lines = new List<ScriptLine>();
        var statement = new List<string>();
        foreach (var line in script.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (statement.Count == 0 && line.StartsWith("--", StringComparison.Ordinal)) { lines.Add(new ScriptLine(line, false)); continue; }
            if (statement.Count == 0 && line.Length == 0) continue;
            statement.Add(line);
            if (!line.EndsWith(';')) continue;
            lines.Add(ScriptLine.Statement(string.Join("\n", statement)));
            statement.Clear();
        }
        if (statement.Count > 0) lines.Add(ScriptLine.Statement(string.Join("\n", statement)));
        return lines;
    }
}
