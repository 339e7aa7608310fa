using System.Collections.ObjectModel;
using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// An -OfflineScript/-OnlineScript argument as given: a script block, or a script path (string,
/// FileInfo, object with a Path property) made absolute at binding. The cmdlet resolves it, so a
/// missing file is HookScriptNotFound and another form HookScriptInvalid, not a binding error.
/// </summary>
public sealed class HookScriptReference : ArgumentReference
{
    private HookScriptReference(ScriptBlock? block, string? path, object? refused) : base(block, path, refused) { }

    internal static HookScriptReference Of(ScriptBlock block) => new(block, null, null);

    internal static HookScriptReference Of(string path) => new(null, path, null);

    internal static HookScriptReference Refused(object value) => new(null, null, value);

    /// <summary>The script to run; the file must exist now.</summary>
    internal UserScript Resolve(string parameter)
    {
        ThrowIfRefused(value => new OsRollbackException("HookScriptInvalid", OsErrorCategory.InvalidArgument, $"-{parameter} must be a script block or a script path, not {value.GetType().Name}.", value,
            $"Give -{parameter} {{ ... }} or -{parameter} ./script.ps1."));
        if (GivenObject is ScriptBlock block) return UserScript.OfBlock(block, parameter);
        if (!File.Exists(Text))
        {
            throw new OsRollbackException("HookScriptNotFound", OsErrorCategory.ObjectNotFound, $"The -{parameter} script '{Text}' does not exist.", Text,
                $"Give -{parameter} a script block or the path of an existing .ps1 file.");
        }
        return UserScript.OfFile(Text!);
    }

    private protected override string? DescribeGiven() => "script block";
}

/// <summary>Turns what a user gives a hook parameter into a <see cref="HookScriptReference"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class HookScriptTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        ArgumentForms.Each(inputData, value => value switch
        {
            HookScriptReference reference => reference,
            ScriptBlock block => HookScriptReference.Of(block),
            string path => HookScriptReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            FileInfo file => HookScriptReference.Of(file.FullName),
            PSObject pso when ArgumentForms.PathProperty(pso) is { } path => HookScriptReference.Of(ArgumentForms.FileSystemPath(engineIntrinsics, path)),
            _ => HookScriptReference.Refused(value),
        });
}

/// <summary>A user hook: a script block, or the path of a script; it gets one argument (the context object).</summary>
internal sealed class UserScript
{
    private readonly ScriptBlock? _block;
    private readonly string? _path;

    private UserScript(ScriptBlock? block, string? path, string name)
    {
        _block = block;
        _path = path;
        Name = name;
    }

    public string Name { get; }

    internal static UserScript OfBlock(ScriptBlock block, string parameter) => new(block, null, $"-{parameter} script block");

    internal static UserScript OfFile(string path) => new(null, path, path);

    /// <summary>Runs the script (on the pipeline thread) and returns its output.</summary>
    public Collection<PSObject> Invoke(object context) => _block is not null
        ? _block.Invoke(context)
        : ScriptBlock.Create("param($__script, $__context) & $__script $__context").Invoke(_path, context);
}

/// <summary>-OfflineScript / -OnlineScript as the engine's firewall hook.</summary>
internal sealed class ScriptFirewallHook(EngineWork pipeline, UserScript? offline, UserScript? online, IOperationReporter reporter) : IFirewallHook
{
    public bool Has(string phase) => (phase == "Offline" ? offline : online) is not null;

    public Task TakeOfflineAsync(HookContext context, CancellationToken cancellationToken) => Run(offline, "OfflineScript", context);

    public Task BringOnlineAsync(HookContext context, CancellationToken cancellationToken) => Run(online, "OnlineScript", context);

    private Task Run(UserScript? script, string parameter, HookContext context) => script is null ? Task.CompletedTask : pipeline.OnPipelineAsync(() =>
    {
        reporter.Verbose($"Running the -{parameter} hook ({script.Name}) for {context.Environment}.");
        try { script.Invoke(context); }
        catch (RuntimeException ex)
        {
            throw new OsRollbackException("HookFailed", OsErrorCategory.InvalidResult, $"The -{parameter} hook failed: {ex.Message}", script.Name,
                $"Fix the hook, then continue with Invoke-OsRollback -Resume.", ex);
        }
        return true;
    });
}

/// <summary>User smoke checks: script blocks that get the environment name; pass when they do not throw and do not return $false.</summary>
internal sealed class ScriptSmokeTester(EngineWork pipeline, IReadOnlyList<ScriptBlock> scripts) : ISmokeTester
{
    public async Task<IReadOnlyList<SmokeResult>> RunAsync(string environment, IReadOnlyList<SmokeTarget> targets, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var results = new List<SmokeResult>();
        for (var i = 0; i < scripts.Count; i++)
        {
            var script = scripts[i];
            var name = $"Script {i + 1}: {Shorten(script.ToString())}";
            results.Add(await pipeline.OnPipelineAsync(() =>
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var output = script.Invoke(environment);
                    var last = output.Count == 0 ? null : output[^1]?.BaseObject;
                    var passed = last is not false;
                    return new SmokeResult { Name = name, Kind = "Script", Passed = passed, Duration = started.Elapsed, Message = passed ? "passed" : "returned $false" };
                }
                catch (RuntimeException ex)
                {
                    return new SmokeResult { Name = name, Kind = "Script", Passed = false, Duration = started.Elapsed, Message = ex.Message };
                }
            }).ConfigureAwait(false));
            reporter.Verbose($"Smoke {(results[^1].Passed ? "passed" : "FAILED")}: {name}");
        }
        return results;
    }

    private static string Shorten(string text)
    {
        var line = text.Trim().Split('\n')[0].Trim();
        return line.Length > 60 ? line[..57] + "..." : line;
    }
}
