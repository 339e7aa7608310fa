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
public sealed class RollbackPointReference
{
    private readonly RollbackPoint? _point;
    private readonly string? _idOrPath;
    private readonly OsRollbackException? _refusal;

    private RollbackPointReference(RollbackPoint? point, string? idOrPath, OsRollbackException? refusal)
    {
        _point = point;
        _idOrPath = idOrPath;
        _refusal = refusal;
    }

    internal static RollbackPointReference Of(RollbackPoint point) => new(point, null, null);

    internal static RollbackPointReference Of(string idOrPath) => new(null, idOrPath, null);

    internal static RollbackPointReference Refused(object value) => new(null, null, new OsRollbackException("RollbackPointNotFound", OsErrorCategory.InvalidArgument,
        $"-RollbackPoint does not accept a {value.GetType().Name}.", value, "Give an object from Get-OsRollbackPoint, an Id or a folder path."));

    /// <summary>The point in the catalog; a RollbackPoint object is re-read from its folder, so changes since are noticed.</summary>
    internal RollbackPoint Resolve(RollbackCatalog catalog)
    {
        if (_refusal is not null) throw _refusal;
        return _point is not null ? RollbackCatalog.Load(_point.Path) : catalog.Open(_idOrPath!);
    }

    /// <summary>The RollbackPoint object given, if one was.</summary>
    internal RollbackPoint? Given => _point;

    /// <summary>The Id or path given (paths already absolute), if text was.</summary>
    internal string? Text => _idOrPath;

    internal bool IsRefused => _refusal is not null;

    /// <summary>What was given, for messages and -Verbose.</summary>
    public override string ToString() => _point?.Id ?? _idOrPath ?? _refusal!.Message;
}

/// <summary>A -Plan argument: a RollbackPlan object, or a JSON plan file read when the cmdlet resolves it.</summary>
public sealed class RollbackPlanReference
{
    private readonly RollbackPlan? _plan;
    private readonly string? _path;
    private readonly OsRollbackException? _refusal;

    private RollbackPlanReference(RollbackPlan? plan, string? path, OsRollbackException? refusal)
    {
        _plan = plan;
        _path = path;
        _refusal = refusal;
    }

    internal static RollbackPlanReference Of(RollbackPlan plan) => new(plan, null, null);

    internal static RollbackPlanReference Of(string path) => new(null, path, null);

    internal static RollbackPlanReference Refused(object value) => new(null, null, new OsRollbackException("RollbackPlanInvalid", OsErrorCategory.InvalidArgument,
        $"-Plan does not accept a {value.GetType().Name}.", value, "Give the object from New-OsRollbackPlan or the path of a plan exported with Export-OsRollbackPlan -Format Json."));

    /// <summary>The plan; a file is read here (RollbackPlanNotFound, RollbackPlanInvalid).</summary>
    internal RollbackPlan Resolve()
    {
        if (_refusal is not null) throw _refusal;
        return _plan ?? RollbackPlanFile.Read(_path!);
    }

    /// <inheritdoc cref="RollbackPointReference.ToString"/>
    public override string ToString() => _plan?.Id ?? _path ?? _refusal!.Message;
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
