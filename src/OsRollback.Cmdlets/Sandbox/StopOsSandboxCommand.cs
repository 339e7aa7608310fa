using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Sandbox;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>Stop-OsSandbox: stops a sandbox started by Start-OsSandbox.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OsSandbox", SupportsShouldProcess = true, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(void))]
public sealed class StopOsSandboxCommand : OsCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string ProcessIdSet = "ProcessId";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public OsSandbox? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ProcessIdSet)]
    [ValidateRange(1, int.MaxValue)]
    public int ProcessId { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSeconds { get; set; } = 15;

    protected override void ProcessRecord()
    {
        var processId = InputObject?.ProcessId ?? ProcessId;
        var target = InputObject is null ? $"process {processId}" : $"{InputObject.Url} (process {processId})";
        if (!ShouldProcess(target, "Stop the OsRollback sandbox")) return;
        var result = RunAsync((reporter, cancel) =>
            SandboxProcess.StopAsync(processId, InputObject?.Url, InputObject?.Token, TimeSpan.FromSeconds(TimeoutSeconds), reporter, cancel));
        if (result == SandboxStopResult.NotRunning) WriteWarning($"The sandbox process {processId} was not running.");
        else WriteVerbose($"The sandbox process {processId} has {(result == SandboxStopResult.Killed ? "been killed" : "stopped")}.");
    }
}
