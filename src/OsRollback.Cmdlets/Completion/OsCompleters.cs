using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace OsRollback.Cmdlets.Completion;

/// <summary>Environment names: from LifeTime when connected, and those of the catalog's rollback points.</summary>
public sealed class OsEnvironmentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var fromLifeTime = CompletionSources.FromLifeTime(fakeBoundParameters, "environments",
            async (client, cancel) => (await client.GetEnvironmentsAsync(cancel).ConfigureAwait(false)).Select(e => e.Name));
        var fromCatalog = CompletionSources.Points(fakeBoundParameters).Select(p => p.Environment);
        return CompletionMatch.Results(fromLifeTime.Concat(fromCatalog), wordToComplete);
    }
}

/// <summary>Application names: from LifeTime when connected, else those captured in the catalog.</summary>
public sealed class OsApplicationCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> names = CompletionSources.FromLifeTime(fakeBoundParameters, "applications",
            async (client, cancel) => (await client.GetApplicationsAsync(cancellationToken: cancel).ConfigureAwait(false)).Select(a => a.Name));
        if (!names.Any())
            names = CompletionSources.Points(fakeBoundParameters).SelectMany(p => p.Manifest.Applications).Select(a => a.Name);
        return CompletionMatch.Results(names, wordToComplete);
    }
}

/// <summary>Application names of a module graph: those in the -Path file or -SqlitePath database, else as <see cref="OsApplicationCompleter"/>.</summary>
public sealed class OsGraphApplicationCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = CompletionSources.GraphApplications(fakeBoundParameters);
        return names.Count > 0 ? CompletionMatch.Results(names, wordToComplete)
            : new OsApplicationCompleter().CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters);
    }
}

/// <summary>Module names: from LifeTime when connected, else those captured in the catalog.</summary>
public sealed class OsModuleCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> names = CompletionSources.FromLifeTime(fakeBoundParameters, "modules",
            async (client, cancel) => (await client.GetModulesAsync(cancel).ConfigureAwait(false)).Select(m => m.Name));
        if (!names.Any())
            names = CompletionSources.Points(fakeBoundParameters).SelectMany(p => p.Manifest.Applications).SelectMany(a => a.Modules).Select(m => m.Name);
        return CompletionMatch.Results(names, wordToComplete);
    }
}

/// <summary>Rollback point Ids of the catalog, newest first, of -Environment when it is given.</summary>
public sealed class OsRollbackPointCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var environment = CompletionSources.Unwrap(fakeBoundParameters, "Environment") as string;
        var points = CompletionSources.Points(fakeBoundParameters, string.IsNullOrEmpty(environment) ? null : environment);
        return CompletionMatch.Results(points.Select(p => (p.Id, $"{p.Environment}, {p.CreatedAt:u}{(p.Description is { Length: > 0 } d ? ": " + d : "")}")), wordToComplete);
    }
}

/// <summary>Timer names of the platform database given with -SqlitePath.</summary>
public sealed class OsTimerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionMatch.Results(CompletionSources.Timers(fakeBoundParameters), wordToComplete);
}
