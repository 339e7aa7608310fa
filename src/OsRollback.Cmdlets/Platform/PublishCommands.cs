using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>Publish-OsApplicationVersion: deploys application version tags from a source to a target environment as one LifeTime plan.</summary>
[Cmdlet(VerbsData.Publish, "OsApplicationVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DeploymentResult))]
public sealed class PublishOsApplicationVersionCommand : LifeTimeCmdlet
{
    private readonly List<string> _keys = new();

    /// <summary>Version objects from Get-OsApplicationVersion, or version keys.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ApplicationVersionTransformation]
    public ApplicationVersionReference[] ApplicationVersion { get; set; } = [];

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string SourceEnvironment { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string TargetEnvironment { get; set; } = "";

    [Parameter]
    public SwitchParameter Continue { get; set; }

    [Parameter]
    public string? Notes { get; set; }

    [Parameter]
    [ValidateRange(0, 1440)]
    public int WaitForOtherDeploymentsMinutes { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var version in ApplicationVersion) _keys.Add(Run(_ => version.Resolve()));
    }

    protected override void EndProcessing()
    {
        // Resolve and check first (reads only), so that -WhatIf says exactly what would be deployed.
        var preview = WithLifeTime((client, _, cancel) => new ApplicationDeployer(client).PreviewAsync(SourceEnvironment, TargetEnvironment, _keys, cancel));
        if (!ShouldProcess(preview.Target.Name, preview.ToString())) return;
        var result = WithLifeTime((client, reporter, cancel) => new ApplicationDeployer(client).DeployAsync(preview, new DeployOptions
        {
            Notes = Notes, ContinueAfterPrepared = Continue.IsPresent, WaitForOtherPlansTimeout = TimeSpan.FromMinutes(WaitForOtherDeploymentsMinutes),
        }, reporter, cancel));
        WriteObject(result);
        if (!result.Succeeded && result.DeploymentStatus != DeploymentStatuses.NeedsUserIntervention)
        {
            WriteOsError(new OsRollbackException("DeploymentFailed", OsErrorCategory.InvalidResult,
                $"Deployment {result.DeploymentKey} to {result.TargetEnvironment} ended {result.DeploymentStatus}.", result,
                "Read the DeploymentLog of the result (or Get-OsDeployment -DeploymentKey) and the environment's error log."));
        }
    }
}

/// <summary>Publish-OsSolutionVersion: publishes a captured solution package through LifeTime or Service Center.</summary>
[Cmdlet(VerbsData.Publish, "OsSolutionVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ServiceCenterSet)]
[OutputType(typeof(SolutionPublishResult))]
public sealed class PublishOsSolutionVersionCommand : OsCmdlet
{
    public const string ServiceCenterSet = "ServiceCenter";
    public const string LifeTimeSet = "LifeTime";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Package")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = LifeTimeSet)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string TargetEnvironment { get; set; } = "";

    [Parameter(ParameterSetName = LifeTimeSet)]
    public LifeTimeConnection? Connection { get; set; }

    [Parameter(ParameterSetName = ServiceCenterSet)]
    public ServiceCenterConnection? ServiceCenter { get; set; }

    [Parameter(ParameterSetName = ServiceCenterSet)]
    public SwitchParameter TwoStep { get; set; }

    [Parameter]
    public SwitchParameter Continue { get; set; }

    [Parameter]
    public SwitchParameter StopOnWarning { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        Run(_ => InputFile.EnsureReadable(path, "-Path", "SolutionPackageNotFound"));
        var options = new SolutionPublishOptions { TwoStepMode = TwoStep.IsPresent, ContinueAfterPrepared = Continue.IsPresent, StopOnWarning = StopOnWarning.IsPresent };
        SolutionPublishResult? result;
        if (ParameterSetName == LifeTimeSet)
        {
            var connection = Connection ?? Services.Connections.LifeTime ?? throw NotConnected("Connect-OsLifeTime");
            if (!ShouldProcess(TargetEnvironment, $"Deploy the solution package {path} through LifeTime (binary deployment, no impact analysis)")) return;
            result = RunAsync(async (reporter, cancel) =>
            {
                using var client = new LifeTimeClient(connection);
                return await SolutionPublisher.PublishAsync(client, TargetEnvironment, path, options, reporter, cancel).ConfigureAwait(false);
            });
        }
        else
        {
            var connection = ServiceCenter ?? Services.Connections.ServiceCenter ?? throw NotConnected("Connect-OsServiceCenter");
            if (!ShouldProcess(connection.Uri.ToString(), $"Publish the solution package {path} in Service Center{(TwoStep ? " (two-step)" : "")}")) return;
            result = RunAsync(async (reporter, cancel) =>
            {
                using var client = new ServiceCenterClient(connection);
                return await SolutionPublisher.PublishAsync(client, path, options, reporter, cancel).ConfigureAwait(false);
            });
        }
        WriteObject(result);
        if (!result.Succeeded && result.Status != DeploymentStatuses.NeedsUserIntervention)
        {
            WriteOsError(new OsRollbackException("SolutionPublishFailed", OsErrorCategory.InvalidResult,
                $"Publishing {System.IO.Path.GetFileName(path)} ended {result.Status}{(result.AbortedByOsRollback ? " (aborted by OsRollback)" : "")}: {result.Messages.FirstOrDefault(m => m.Type != "Info")?.Message}", result,
                "Read the Messages of the result; fix the cause and publish again."));
        }
    }

    private PipelineStoppedException NotConnected(string connect)
    {
        ThrowInvalid("NotConnected", OsErrorCategory.ConnectionError, $"There is no connection for this parameter set.", null, $"Run {connect} first, or pass the connection.");
        return new PipelineStoppedException();
    }
}

/// <summary>Publish-OsModuleVersion: republishes modules wave by wave (one Service Center staging per wave).</summary>
[Cmdlet(VerbsData.Publish, "OsModuleVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ModuleWavePublishResult))]
public sealed class PublishOsModuleVersionCommand : ServiceCenterCmdlet
{
    private readonly List<ModuleOrderEntry> _entries = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsModuleCompleter))]
    public string[] Name { get; set; } = [];

    // A string, not the engine's enum: a value-type field of an engine type would load the engine
    // before the module initializer can route it to the private load context.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("eSpace", "Extension", IgnoreCase = true)]
    public string Kind { get; set; } = "eSpace";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Wave { get; set; } = 1;

    [Parameter]
    public SwitchParameter StopOnWarning { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string StagingName { get; set; } = "OsRollback";

    [Parameter]
    public SwitchParameter OneByOne { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name) _entries.Add(new ModuleOrderEntry { Name = name, Kind = Enum.Parse<ModuleKind>(Kind, ignoreCase: true), Wave = Wave, Order = _entries.Count + 1 });
    }

    protected override void EndProcessing()
    {
        var waves = _entries.GroupBy(e => e.Wave).OrderBy(g => g.Key).ToList();
        var description = string.Join("; ", waves.Select(w => $"wave {w.Key}: {string.Join(", ", w.Select(e => e.Name))}"));
        var connection = GetConnectionOrNull();
        if (!ShouldProcess(connection?.Uri.ToString() ?? "Service Center", $"Republish {_entries.Count} module(s) in {waves.Count} wave(s), one staging per {(OneByOne ? "module" : "wave")} ({description})")) return;
        var result = WithServiceCenter((client, reporter, cancel) => ModuleWavePublisher.PublishAsync(client, _entries,
            new ModuleWavePublishOptions { StopOnWarning = StopOnWarning.IsPresent, StagingNamePrefix = StagingName, OneModulePerStaging = OneByOne.IsPresent }, reporter, cancel));
        WriteObject(result);
        if (!result.Succeeded)
        {
            WriteOsError(new OsRollbackException("ModuleWaveFailed", OsErrorCategory.InvalidResult,
                $"Wave {result.FailedWave} ({string.Join(", ", result.FailedModules)}) failed; already published: {(result.PublishedModules.Length == 0 ? "none" : string.Join(", ", result.PublishedModules))}.",
                result, "Read the wave messages in the result (Waves), fix the cause, and publish the remaining waves again."));
        }
    }

    private ServiceCenterConnection? GetConnectionOrNull() => Connection ?? Services.Connections.ServiceCenter;
}

/// <summary>Stop-OsDeployment: aborts a running LifeTime deployment.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OsDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(LifeTimeDeploymentStatus))]
public sealed class StopOsDeploymentCommand : LifeTimeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Key")]
    [ValidateNotNullOrEmpty]
    public string[] DeploymentKey { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var key in DeploymentKey)
        {
            if (!ShouldProcess(key, "Abort the LifeTime deployment")) continue;
            var status = WithLifeTime(async (client, reporter, cancel) =>
            {
                await client.AbortDeploymentAsync(key, cancel).ConfigureAwait(false);
                reporter.Verbose($"Sent abort to deployment {key}.");
                return await client.GetDeploymentStatusAsync(key, cancel).ConfigureAwait(false);
            });
            WriteObject(status);
        }
    }
}

/// <summary>Set-OsMaintenanceMode: turns an environment's maintenance mode on or off through LifeTime.</summary>
[Cmdlet(VerbsCommon.Set, "OsMaintenanceMode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MaintenanceModeResult))]
public sealed class SetOsMaintenanceModeCommand : LifeTimeCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public bool Enabled { get; set; }

    [Parameter]
    public string? Reason { get; set; }

    protected override void EndProcessing()
    {
        if (!ShouldProcess(Environment, $"Turn maintenance mode {(Enabled ? "on" : "off")}{(string.IsNullOrEmpty(Reason) ? "" : $" ({Reason})")}")) return;
        WriteObject(WithLifeTime((client, reporter, cancel) => MaintenanceMode.SetAsync(client, Environment, Enabled, Reason, reporter, cancel)));
    }
}
