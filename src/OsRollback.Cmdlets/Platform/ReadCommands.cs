using System.Management.Automation;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>Get-OsEnvironment: the environments LifeTime manages.</summary>
[Cmdlet(VerbsCommon.Get, "OsEnvironment")]
[OutputType(typeof(LifeTimeEnvironment))]
public sealed class GetOsEnvironmentCommand : LifeTimeCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    protected override void EndProcessing()
    {
        var all = WithLifeTime((client, _, cancel) => client.GetEnvironmentsAsync(cancel));
        foreach (var environment in NameFilter.Apply(this, all, Name, e => e.Name, e => e.Key, "environment")) WriteObject(environment);
    }
}

/// <summary>Get-OsApplication: applications, or with -Environment which version runs there.</summary>
[Cmdlet(VerbsCommon.Get, "OsApplication")]
[OutputType(typeof(LifeTimeApplication), typeof(ApplicationInEnvironment))]
public sealed class GetOsApplicationCommand : LifeTimeCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsApplicationCompleter))]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    [Parameter]
    public SwitchParameter IncludeSystem { get; set; }

    protected override void EndProcessing()
    {
        if (Environment is null)
        {
            var all = WithLifeTime((client, _, cancel) => client.GetApplicationsAsync(true, false, cancel));
            var environments = WithLifeTime((client, _, cancel) => client.GetEnvironmentsAsync(cancel));
            foreach (var app in NameFilter.Apply(this, all.Where(a => IncludeSystem || !a.IsSystem).ToList(), Name, a => a.Name, a => a.Key, "application"))
                WriteObject(WithRunningVersions(app, environments));
            return;
        }
        var rows = WithLifeTime(async (client, _, cancel) =>
        {
            var environment = await client.ResolveEnvironmentAsync(Environment, cancel).ConfigureAwait(false);
            var apps = await client.GetEnvironmentApplicationsAsync(environment.Key, includeModules: true, cancel).ConfigureAwait(false);
            return apps.Select(a =>
            {
                var status = a.AppStatusInEnvs.FirstOrDefault(s => string.Equals(s.EnvironmentKey, environment.Key, StringComparison.OrdinalIgnoreCase)) ?? a.AppStatusInEnvs.FirstOrDefault();
                return new ApplicationInEnvironment
                {
                    ApplicationKey = a.Key, ApplicationName = a.Name, EnvironmentKey = environment.Key, EnvironmentName = environment.Name,
                    Version = status?.BaseApplicationVersionLabel, VersionKey = status?.BaseApplicationVersionKey, IsModified = status?.IsModified ?? false,
                    ConsistencyStatus = status?.ConsistencyStatus, DeploymentZoneKey = status?.DeploymentZoneKey,
                    ModuleCount = status?.ModuleStatusInEnvs.Count ?? 0, Application = a,
                };
            }).Where(r => IncludeSystem || !r.Application.IsSystem).ToList();
        });
        foreach (var row in NameFilter.Apply(this, rows, Name, r => r.ApplicationName, r => r.ApplicationKey, "application")) WriteObject(row);
    }

    /// <summary>Adds RunningVersions ("Development 1.2.0, Quality 1.2.0, Production 1.1.0"): LifeTime names environments only by key.</summary>
    private static PSObject WithRunningVersions(LifeTimeApplication app, IReadOnlyList<LifeTimeEnvironment> environments)
    {
        var running = environments.OrderBy(e => e.Order)
            .Select(e => (e.Name, Status: app.AppStatusInEnvs.FirstOrDefault(s => string.Equals(s.EnvironmentKey, e.Key, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.Status is not null)
            .Select(x => $"{x.Name} {x.Status!.BaseApplicationVersionLabel}{(x.Status.IsModified ? "*" : "")}");
        var output = PSObject.AsPSObject(app);
        output.Properties.Add(new PSNoteProperty("RunningVersions", string.Join(", ", running)));
        return output;
    }
}

/// <summary>Get-OsApplicationVersion: the version tags of applications, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "OsApplicationVersion")]
[OutputType(typeof(LifeTimeApplicationVersion))]
public sealed class GetOsApplicationVersionCommand : LifeTimeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ApplicationName", "ApplicationKey")]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsApplicationCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Application { get; set; } = [];

    [Parameter]
    [SupportsWildcards]
    public string? Version { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaximumVersions { get; set; } = 5;

    protected override void ProcessRecord()
    {
        var versions = WithLifeTime(async (client, _, cancel) =>
        {
            var result = new List<LifeTimeApplicationVersion>();
            foreach (var name in Application)
            {
                var app = await client.ResolveApplicationAsync(name, cancel).ConfigureAwait(false);
                foreach (var v in await client.GetApplicationVersionsAsync(app.Key, MaximumVersions, cancel).ConfigureAwait(false))
                {
                    v.ApplicationName = app.Name;
                    result.Add(v);
                }
            }
            return result;
        });
        var pattern = Version is null ? null : new WildcardPattern(Version, WildcardOptions.IgnoreCase);
        foreach (var v in versions.Where(v => pattern is null || pattern.IsMatch(v.Version))) WriteObject(v);
    }
}

/// <summary>Get-OsModule: modules LifeTime knows, optionally with their versions.</summary>
[Cmdlet(VerbsCommon.Get, "OsModule")]
[OutputType(typeof(LifeTimeModule), typeof(LifeTimeModuleVersion))]
public sealed class GetOsModuleCommand : LifeTimeCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsModuleCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter IncludeVersions { get; set; }

    /// <summary>With -IncludeVersions: how many versions per module LifeTime returns (0 = all).</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int MaximumVersions { get; set; } = 5;

    protected override void EndProcessing()
    {
        var modules = WithLifeTime((client, _, cancel) => client.GetModulesAsync(cancel));
        var selected = NameFilter.Apply(this, modules, Name, m => m.Name, m => m.Key, "module").ToList();
        if (!IncludeVersions)
        {
            foreach (var m in selected) WriteObject(m);
            return;
        }
        var versions = WithLifeTime(async (client, _, cancel) =>
        {
            var all = new List<(LifeTimeModule Module, LifeTimeModuleVersion Version)>();
            foreach (var m in selected) all.AddRange((await client.GetModuleVersionsAsync(m.Key, MaximumVersions, cancel).ConfigureAwait(false)).Select(v => (m, v)));
            return all;
        });
        // LifeTime names neither the module nor a number on a version: add both, the number
        // counted from the oldest version (Service Center's numbering when every version is listed).
        foreach (var group in versions.GroupBy(v => v.Module.Key))
        {
            var number = 0;
            foreach (var (module, version) in group.OrderBy(v => v.Version.CreatedOn))
            {
                var output = PSObject.AsPSObject(version);
                output.Properties.Add(new PSNoteProperty("ModuleName", module.Name));
                output.Properties.Add(new PSNoteProperty("Version", ++number));
                WriteObject(output);
            }
        }
    }
}

/// <summary>Get-OsDeployment: deployment plans, or one plan with its conflicts, status and log.</summary>
[Cmdlet(VerbsCommon.Get, "OsDeployment", DefaultParameterSetName = ListSet)]
[OutputType(typeof(LifeTimeDeployment), typeof(LifeTimeDeploymentReport))]
public sealed class GetOsDeploymentCommand : LifeTimeCmdlet
{
    public const string ListSet = "List";
    public const string KeySet = "Key";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeySet, ValueFromPipelineByPropertyName = true)]
    [Alias("Key")]
    [ValidateNotNullOrEmpty]
    public string[] DeploymentKey { get; set; } = [];

    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TargetEnvironment { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Since { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Until { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == KeySet)
        {
            var reports = WithLifeTime(async (client, _, cancel) =>
            {
                var list = new List<LifeTimeDeploymentReport>();
                foreach (var key in DeploymentKey) list.Add(await client.GetDeploymentReportAsync(key, cancel).ConfigureAwait(false));
                return list;
            });
            foreach (var r in reports) WriteObject(r);
            return;
        }
        var plans = WithLifeTime(async (client, _, cancel) =>
        {
            string? target = null;
            if (TargetEnvironment is not null) target = (await client.ResolveEnvironmentAsync(TargetEnvironment, cancel).ConfigureAwait(false)).Key;
            return await client.GetDeploymentsWithStatusAsync(Since, Until, target, cancel).ConfigureAwait(false);
        });
        foreach (var p in plans) WriteObject(p);
    }
}

/// <summary>Name filtering with wildcards and keys; a plain name that matches nothing is an error that names the closest.</summary>
internal static class NameFilter
{
    public static IEnumerable<T> Apply<T>(Infrastructure.OsCmdlet cmdlet, IReadOnlyList<T> all, string[] names, Func<T, string> name, Func<T, string> key, string kind)
    {
        if (names.Length == 0) return all;
        var result = new List<T>();
        foreach (var wanted in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(wanted))
            {
                var pattern = new WildcardPattern(wanted, WildcardOptions.IgnoreCase);
                result.AddRange(all.Where(x => pattern.IsMatch(name(x))));
                continue;
            }
            var matches = all.Where(x => string.Equals(name(x), wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(key(x), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                var closest = Engine.Modules.NameSuggestions.Closest(wanted, all.Select(name), 3);
                cmdlet.WriteError(new ErrorRecord(new ItemNotFoundException($"No {kind} named or keyed '{wanted}'." + (closest.Count > 0 ? $" Closest: {string.Join(", ", closest)}." : "")),
                    $"{char.ToUpperInvariant(kind[0])}{kind[1..]}NotFound", ErrorCategory.ObjectNotFound, wanted));
            }
            result.AddRange(matches);
        }
        return result.Distinct();
    }
}
