using System.Management.Automation;
using OsRollback.Engine.Modules;

namespace OsRollback.Cmdlets.Modules;

/// <summary>
/// Get-OsModuleOrder: the order in which modules must be republished when they are rolled
/// back one by one, producers before consumers, in waves.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OsModuleOrder", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(ModuleOrderEntry))]
public sealed class GetOsModuleOrderCommand : ModuleGraphInputCmdlet
{
    /// <summary>Only these modules.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsModuleCompleter))]
    public string[] Module { get; set; } = [];

    /// <summary>Add every module that directly or transitively consumes the selected ones.</summary>
    [Parameter]
    public SwitchParameter IncludeConsumers { get; set; }

    protected override void EndProcessing()
    {
        var entries = Run(reporter =>
        {
            var graph = ModuleGraph.Build(ReadDefinitions(reporter));
            return ModuleOrderer.Order(graph, new ModuleOrderRequest
            {
                Applications = Application,
                Modules = Module,
                IncludeConsumers = IncludeConsumers.IsPresent,
            }, reporter);
        });
        foreach (var entry in entries) WriteObject(entry);
    }
}
