using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Engine.Platform;

public sealed class ModuleWavePublishOptions
{
    /// <summary>Prefix of the staging names (one staging per wave).</summary>
    public string StagingNamePrefix { get; init; } = "OsRollback";

    /// <summary>Stop at a wave that finishes with warnings, not only with errors.</summary>
    public bool StopOnWarning { get; init; }

    /// <summary>Baseline for comparison: one staging per module instead of one per wave.</summary>
    public bool OneModulePerStaging { get; init; }

    /// <summary>Service Center version to publish, by module name (rollback to a captured version); others republish the published version.</summary>
    public IReadOnlyDictionary<string, int>? Versions { get; init; }

    /// <summary>
    /// Send <see cref="Versions"/> as the staging call's "Version" field. OutSystems neither
    /// documents that field nor do its tools send it (SetupTools sends Name, Key, Kind and so
    /// republishes the published version), so it is off unless a caller turns it on explicitly;
    /// with it off, pinned versions are refused before anything is published. Whatever is sent,
    /// the caller must verify afterwards which version runs.
    /// </summary>
    public bool UseUnverifiedVersionField { get; init; }
}

/// <summary>One wave's publication.</summary>
public sealed class ModuleWaveOutcome
{
    public int Wave { get; init; }
    public string[] Modules { get; init; } = [];
    public long PublishId { get; init; }
    public string Status { get; init; } = "";
    public bool Succeeded => DeploymentStatuses.IsSuccess(Status);
    public IReadOnlyList<PublishMessage> Messages { get; init; } = [];
    public TimeSpan Duration { get; init; }
}

/// <summary>The outcome of a wave-by-wave republish.</summary>
public sealed class ModuleWavePublishResult
{
    public bool Succeeded { get; init; }
    public int WaveCount { get; init; }
    public int ModuleCount { get; init; }
    /// <summary>Modules published, in order (waves that finished before the first failing one, and its modules if it succeeded).</summary>
    public string[] PublishedModules { get; init; } = [];
    public int? FailedWave { get; init; }
    public string[] FailedModules { get; init; } = [];
    /// <summary>Modules never attempted because an earlier wave failed.</summary>
    public string[] NotPublishedModules { get; init; } = [];
    public IReadOnlyList<ModuleWaveOutcome> Waves { get; init; } = [];
    public int PublishOperations { get; init; }
    public TimeSpan Duration { get; init; }
    public override string ToString() => Succeeded ? $"{ModuleCount} modules in {WaveCount} waves published" : $"wave {FailedWave} failed";
}

/// <summary>
/// Republishes modules in dependency order, one Service Center staging per wave (modules of one
/// wave do not depend on each other), stopping at the first wave that fails and listing what was
/// already published.
/// </summary>
public static class ModuleWavePublisher
{
    /// <summary>The status of a wave whose staging Service Center refused (publishId 0).</summary>
    public const string Refused = "refused";

    public static async Task<ModuleWavePublishResult> PublishAsync(ServiceCenterClient client, IEnumerable<ModuleOrderEntry> modules, ModuleWavePublishOptions? options = null,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        options ??= new ModuleWavePublishOptions();
        reporter ??= NullReporter.Instance;
        var entries = modules.ToList();
        if (entries.Count == 0)
            throw new OsRollbackException("NoModuleInput", OsErrorCategory.InvalidArgument, "No modules were given.", null, "Pipe Get-OsModuleOrder output, or give -Name.");
        var batches = Plan(entries, options.OneModulePerStaging);
        var known = await client.GetModulesAsync(cancellationToken).ConfigureAwait(false);
        var byName = known.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var missing = entries.Where(e => !byName.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        if (missing.Count > 0)
        {
            var hints = missing.Select(m => { var c = NameSuggestions.Closest(m, byName.Keys, 2); return c.Count > 0 ? $"{m} (closest: {string.Join(", ", c)})" : m; });
            throw new OsRollbackException("ModuleNotFound", OsErrorCategory.ObjectNotFound,
                $"Service Center at {client.Connection.Host} has no module named {string.Join("; ", hints)}. Nothing was published.", missing[0],
                "Check the names; the module graph may come from another environment.");
        }

        var pinned = options.Versions?.Keys.Where(k => entries.Any(e => string.Equals(e.Name, k, StringComparison.OrdinalIgnoreCase))).ToList() ?? [];
        if (pinned.Count > 0 && !options.UseUnverifiedVersionField)
        {
            throw new OsRollbackException("ModuleVersionRouteUnverified", OsErrorCategory.InvalidOperation,
                $"Publishing {string.Join(", ", pinned)} at a given version needs the staging call's Version field, which OutSystems does not document. Nothing was published.", pinned[0],
                "Publish the previous tag's package instead (the Solution strategy, or Publish-OsSolutionVersion with the tag's .oap from LifeTime), or turn the unverified field on explicitly and verify afterwards which version runs.");
        }
        var started = client.Options.TimeProvider.GetUtcNow();
        var published = new List<string>();
        var outcomes = new List<ModuleWaveOutcome>();
        const string activity = "Republishing modules";
        for (var i = 0; i < batches.Count; i++)
        {
            var (wave, names) = batches[i];
            reporter.Progress(new ProgressUpdate(activity, $"Wave {wave}: {string.Join(", ", names)}", i * 100 / batches.Count));
            var waveStart = client.Options.TimeProvider.GetUtcNow();
            var stagingName = $"{options.StagingNamePrefix} wave {wave}" + (options.OneModulePerStaging ? $" {names[0]}" : "");
            long publishId;
            PublicationMonitor.Outcome outcome;
            try
            {
                publishId = await client.PublishModulesAsync(stagingName, names.Select(n => Pinned(byName[n], options.Versions)), twoStepMode: false, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Staging '{stagingName}' (publication {publishId}): {string.Join(", ", names)}.");
                outcome = await PublicationMonitor.WaitAsync(client, publishId, $"{activity}: wave {wave}", options.StopOnWarning, false, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (OsRollbackException refused) when (refused.ErrorId == "ServiceCenterPublishRejected")
            {
                // publishId 0: Service Center refused the staging; nothing of this wave was published and nothing is polled.
                reporter.Warning(refused.Message);
                publishId = 0;
                outcome = new PublicationMonitor.Outcome(Refused, [new PublishMessage { Id = 1, Type = "Error", Message = refused.Message }], false, 0);
            }
            var waveOutcome = new ModuleWaveOutcome
            {
                Wave = wave, Modules = names, PublishId = publishId, Status = outcome.Status, Messages = outcome.Messages,
                Duration = client.Options.TimeProvider.GetUtcNow() - waveStart,
            };
            outcomes.Add(waveOutcome);
            var failed = !waveOutcome.Succeeded || options.StopOnWarning && outcome.Status == DeploymentStatuses.FinishedWithWarnings;
            if (failed)
            {
                reporter.Warning($"Wave {wave} ended {outcome.Status}; stopping. Already published: {(published.Count == 0 ? "none" : string.Join(", ", published))}.");
                reporter.Progress(new ProgressUpdate(activity, "Stopped", 100, Completed: true));
                return new ModuleWavePublishResult
                {
                    Succeeded = false, WaveCount = batches.Select(b => b.Wave).Distinct().Count(), ModuleCount = entries.Count,
                    PublishedModules = published.ToArray(), FailedWave = wave, FailedModules = names,
                    NotPublishedModules = batches.Skip(i + 1).SelectMany(b => b.Modules).ToArray(),
                    Waves = outcomes, PublishOperations = outcomes.Count, Duration = client.Options.TimeProvider.GetUtcNow() - started,
                };
            }
            published.AddRange(names);
        }
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
        return new ModuleWavePublishResult
        {
            Succeeded = true, WaveCount = batches.Select(b => b.Wave).Distinct().Count(), ModuleCount = entries.Count,
            PublishedModules = published.ToArray(), Waves = outcomes, PublishOperations = outcomes.Count,
            Duration = client.Options.TimeProvider.GetUtcNow() - started,
        };
    }

    /// <summary>Batches in wave order (input order within a wave); one batch per wave, or per module for the baseline.</summary>
    internal static List<(int Wave, string[] Modules)> Plan(IReadOnlyList<ModuleOrderEntry> entries, bool onePerModule)
    {
        var duplicates = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new OsRollbackException("ModuleListedTwice", OsErrorCategory.InvalidArgument, $"Module(s) listed more than once: {string.Join(", ", duplicates)}.", duplicates[0], "Give each module once.");
        var waves = entries.Select((e, i) => (e, i)).GroupBy(x => x.e.Wave).OrderBy(g => g.Key);
        var batches = new List<(int, string[])>();
        foreach (var wave in waves)
        {
            var names = wave.OrderBy(x => x.e.Order).ThenBy(x => x.i).Select(x => x.e.Name).ToArray();
            if (onePerModule) batches.AddRange(names.Select(n => (wave.Key, new[] { n })));
            else batches.Add((wave.Key, names));
        }
        return batches;
    }

    private static ServiceCenterModule Pinned(ServiceCenterModule module, IReadOnlyDictionary<string, int>? versions) =>
        versions is not null && versions.TryGetValue(module.Name, out var version)
            ? new ServiceCenterModule { Key = module.Key, Name = module.Name, Kind = module.Kind, PublishedVersion = module.PublishedVersion, Version = version }
            : module;
}

/// <summary>Maintenance mode of an environment through LifeTime.</summary>
public static class MaintenanceMode
{
    public static async Task<MaintenanceModeResult> SetAsync(LifeTimeClient client, string environment, bool enabled, string? reason,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        var target = await client.ResolveEnvironmentAsync(environment, cancellationToken).ConfigureAwait(false);
        await client.SetMaintenanceModeAsync(target.Key, enabled, reason, cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Maintenance mode {(enabled ? "on" : "off")} in {target.Name}.");
        return new MaintenanceModeResult { EnvironmentKey = target.Key, EnvironmentName = target.Name, IsMaintenanceModeEnabled = enabled, Reason = reason };
    }
}

public sealed class MaintenanceModeResult
{
    public string EnvironmentKey { get; init; } = "";
    public string EnvironmentName { get; init; } = "";
    public bool IsMaintenanceModeEnabled { get; init; }
    public string? Reason { get; init; }
}
