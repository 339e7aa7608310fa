using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>
/// A Publish-OsApplicationVersion -ApplicationVersion item as given: an object from
/// Get-OsApplicationVersion, a version key, or an object with a Key property. Another form is the
/// cmdlet's ApplicationVersionInvalid ErrorRecord when it resolves the key, not a binding error.
/// </summary>
public sealed class ApplicationVersionReference : ArgumentReference
{
    private ApplicationVersionReference(string? key, object? refused) : base(null, key, refused) { }

    internal static ApplicationVersionReference Of(string key) => new(key, null);

    internal static ApplicationVersionReference Refused(object value) => new(null, value);

    /// <summary>The LifeTime version key.</summary>
    internal string Resolve()
    {
        ThrowIfRefused(value => new OsRollbackException("ApplicationVersionInvalid", OsErrorCategory.InvalidArgument,
            $"'{value}' is neither an application version nor a version key.", value, "Pass objects from Get-OsApplicationVersion, or their Key."));
        return Text!;
    }
}

/// <summary>Turns what a user gives -ApplicationVersion into <see cref="ApplicationVersionReference"/>s (one per item).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ApplicationVersionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        ArgumentForms.Each(inputData, value => value switch
        {
            ApplicationVersionReference reference => reference,
            LifeTimeApplicationVersion version => ApplicationVersionReference.Of(version.Key),
            string { Length: > 0 } key => ApplicationVersionReference.Of(key),
            PSObject pso when ArgumentForms.TextProperty(pso, "Key") is { } key => ApplicationVersionReference.Of(key),
            _ => ApplicationVersionReference.Refused(value),
        });
}
