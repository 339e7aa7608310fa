using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>What New-OsApplicationVersion tagged.</summary>
public sealed class ApplicationVersionTag
{
    public string ApplicationVersionKey { get; init; } = "";
    public string ApplicationKey { get; init; } = "";
    public string ApplicationName { get; init; } = "";
    public string Environment { get; init; } = "";
    public string Version { get; init; } = "";
    public string ChangeLog { get; init; } = "";
    public override string ToString() => $"{ApplicationName} {Version} ({Environment})";
}

/// <summary>
/// New-OsApplicationVersion: tags what runs in an environment as a new application version
/// (LifeTime API v2, POST /environments/{e}/applications/{a}/versions), so that after a Solution
/// or Module rollback LifeTime shows a tag for what really runs.
/// </summary>
[Cmdlet(VerbsCommon.New, "OsApplicationVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ApplicationVersionTag))]
public sealed class NewOsApplicationVersionCommand : LifeTimeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ApplicationName", "ApplicationKey")]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsApplicationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Application { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidatePattern(@"^\d+(\.\d+){0,3}$")]
    public string Version { get; set; } = "";

    [Parameter]
    public string? ChangeLog { get; set; }

    protected override void ProcessRecord()
    {
        var (environment, application) = WithLifeTime(async (client, _, cancel) =>
            (await client.ResolveEnvironmentAsync(Environment, cancel).ConfigureAwait(false), await client.ResolveApplicationAsync(Application, cancel).ConfigureAwait(false)));
        var changeLog = ChangeLog ?? $"Tagged by OsRollback: what runs in {environment.Name}.";
        if (!ShouldProcess($"{application.Name} in {environment.Name}", $"Tag what runs as version {Version}")) return;
        var key = WithLifeTime((client, _, cancel) => client.CreateApplicationVersionAsync(environment.Key, application.Key, Version, changeLog, null, cancel));
        WriteObject(new ApplicationVersionTag
        {
            ApplicationVersionKey = key, ApplicationKey = application.Key, ApplicationName = application.Name, Environment = environment.Name, Version = Version, ChangeLog = changeLog,
        });
    }
}
