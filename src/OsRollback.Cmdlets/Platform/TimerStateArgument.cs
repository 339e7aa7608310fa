using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>
/// A Resume-OsTimer -State argument as given: the object Suspend-OsTimer returned, or the path of
/// its state file (string, FileInfo, object with a Path property) made absolute at binding. The
/// cmdlet resolves it, so an unreadable file or another form is its TimerStateInvalid ErrorRecord.
/// </summary>
public sealed class TimerStateReference : ArgumentReference
{
    private TimerStateReference(TimerSuspensionState? state, string? path, object? refused) : base(state, path, refused) { }

    internal static TimerStateReference Of(TimerSuspensionState state) => new(state, null, null);

    internal static TimerStateReference Of(string path) => new(null, path, null);

    internal static TimerStateReference Refused(object value) => new(null, null, value);

    /// <summary>The state; a file is read here.</summary>
    internal TimerSuspensionState Resolve()
    {
        ThrowIfRefused(value => new OsRollbackException("TimerStateInvalid", OsErrorCategory.InvalidArgument, $"'{value}' is not a timer suspension state.", value,
            "Pass the object Suspend-OsTimer returned, or the path given to its -StatePath."));
        return (TimerSuspensionState?)GivenObject ?? TimerSuspensionState.Load(Text!);
    }

    private protected override string? DescribeGiven() => ((TimerSuspensionState?)GivenObject)?.Database;
}

/// <summary>Turns what a user gives -State into a <see cref="TimerStateReference"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimerStateTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        ArgumentForms.Each(inputData, value => value switch
        {
            TimerStateReference reference => reference,
            TimerSuspensionState state => TimerStateReference.Of(state),
            string path => TimerStateReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            FileInfo file => TimerStateReference.Of(file.FullName),
            PSObject pso when ArgumentForms.PathProperty(pso) is { } path => TimerStateReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            _ => TimerStateReference.Refused(value),
        });
}
