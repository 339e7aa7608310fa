using System.Collections;
using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// A -RollbackPoint argument as the user gave it (a RollbackPoint object, an Id, a folder path, a
/// DirectoryInfo or an object with a Path or SchemaSnapshotPath property). Binding reads nothing: the cmdlet resolves it
/// with its own catalog (-CatalogPath), so an Id is looked up where the user said, and a failure is
/// the cmdlet's ErrorRecord (RollbackPointNotFound ...) rather than a parameter-binding error.
/// </summary>
public sealed class RollbackPointReference : ArgumentReference
{
    private RollbackPointReference(RollbackPoint? point, string? idOrPath, object? refused) : base(point, idOrPath, refused) { }

    internal static RollbackPointReference Of(RollbackPoint point) => new(point, null, null);

    internal static RollbackPointReference Of(string idOrPath) => new(null, idOrPath, null);

    internal static RollbackPointReference Refused(object value) => new(null, null, value);

    /// <summary>The RollbackPoint object given, if one was.</summary>
    internal RollbackPoint? Given => (RollbackPoint?)GivenObject;

    /// <summary>The point in the catalog; a RollbackPoint object is re-read from its folder, so changes since are noticed.</summary>
    internal RollbackPoint Resolve(RollbackCatalog catalog)
    {
        ThrowIfRefused(value => new OsRollbackException("RollbackPointNotFound", OsErrorCategory.InvalidArgument,
            $"-RollbackPoint does not accept a {value.GetType().Name}.", value, "Give an object from Get-OsRollbackPoint, an Id or a folder path."));
        return Given is { } point ? RollbackCatalog.Load(point.Path) : catalog.Open(Text!);
    }

    private protected override string? DescribeGiven() => Given?.Id;
}

/// <summary>A -Plan argument: a RollbackPlan object, or a JSON plan file read when the cmdlet resolves it.</summary>
public sealed class RollbackPlanReference : ArgumentReference
{
    private RollbackPlanReference(RollbackPlan? plan, string? path, object? refused) : base(plan, path, refused) { }

    internal static RollbackPlanReference Of(RollbackPlan plan) => new(plan, null, null);

    internal static RollbackPlanReference Of(string path) => new(null, path, null);

    internal static RollbackPlanReference Refused(object value) => new(null, null, value);

    /// <summary>The plan; a file is read here (RollbackPlanNotFound, RollbackPlanInvalid).</summary>
    internal RollbackPlan Resolve()
    {
        ThrowIfRefused(value => new OsRollbackException("RollbackPlanInvalid", OsErrorCategory.InvalidArgument,
            $"-Plan does not accept a {value.GetType().Name}.", value, "Give the object from New-OsRollbackPlan or the path of a plan exported with Export-OsRollbackPlan -Format Json."));
        return (RollbackPlan?)GivenObject ?? RollbackPlanFile.Read(Text!);
    }

    private protected override string? DescribeGiven() => ((RollbackPlan?)GivenObject)?.Id;
}

/// <summary>
/// Turns what a user gives -RollbackPoint into a <see cref="RollbackPointReference"/> (one per item
/// for an array parameter). Paths are made absolute against the current location at binding; a
/// form that is not accepted becomes a refusal the cmdlet reports as RollbackPointNotFound.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RollbackPointTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        ArgumentForms.Each(inputData, value => value switch
        {
            RollbackPointReference reference => reference,
            RollbackPoint point => RollbackPointReference.Of(point),
            string text => RollbackPointReference.Of(ArgumentForms.LooksLikePath(text) ? ArgumentForms.FileSystemPath(engineIntrinsics, text) : text),
            FileSystemInfo file => RollbackPointReference.Of(file.FullName),
            PSObject pso when ArgumentForms.TextProperty(pso, "Path", "SchemaSnapshotPath") is { } path => RollbackPointReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            _ => RollbackPointReference.Refused(value),
        });
}

/// <summary>Turns what a user gives -Plan into a <see cref="RollbackPlanReference"/> (the object, a path, a FileInfo or an object with a Path property).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RollbackPlanTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        ArgumentForms.Each(inputData, value => value switch
        {
            RollbackPlanReference reference => reference,
            RollbackPlan plan => RollbackPlanReference.Of(plan),
            string path => RollbackPlanReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            FileInfo file => RollbackPlanReference.Of(file.FullName),
            PSObject pso when ArgumentForms.PathProperty(pso) is { } path => RollbackPlanReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            _ => RollbackPlanReference.Refused(value),
        });
}
