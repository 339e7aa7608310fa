using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Sandbox;
using OsRollback.Engine.Security;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>Start-OsSandbox: starts the local OutSystems stand-in as its own process.</summary>
[Cmdlet(VerbsLifecycle.Start, "OsSandbox", SupportsShouldProcess = true)]
[OutputType(typeof(OsSandbox))]
public sealed class StartOsSandboxCommand : OsCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? DataDirectory { get; set; }

    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidateRange(0, 600000)]
    public int PaceMilliseconds { get; set; } = 200;

    [Parameter]
    [ValidateRange(0, 600000)]
    public int PublishLatencyMilliseconds { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Seed { get; set; } = 1;

    [Parameter]
    public SecureString? Token { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? ServiceCenterCredential { get; set; }

    [Parameter]
    [ValidateSet("Development", "Quality", "Production")]
    public string[] TwoStepEnvironment { get; set; } = [];

    [Parameter]
    public SwitchParameter Reset { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 60;

    protected override void EndProcessing()
    {
        var directory = DataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "osrollback-sandbox-" + Guid.NewGuid().ToString("N")[..12])
            : GetUnresolvedProviderPathFromPSPath(DataDirectory);
        if (FolderPaths.BlockingFile(directory) is { } file)
        {
            // Caught here: creating the folder would fail later with a raw IOException.
            ThrowInvalid("SandboxDataDirectoryIsFile", OsErrorCategory.InvalidArgument,
                $"-DataDirectory '{directory}' cannot be a folder: '{file}' is a file; the sandbox keeps its platform databases in a folder.", directory,
                "Give -DataDirectory a folder (it is created when missing), or leave it out for a new temporary folder.");
        }
        if (!ShouldProcess(directory, "Start the OsRollback sandbox (LifeTime, Service Center and platform databases on 127.0.0.1)")) return;
        var token = Token ?? SecretText.FromPlainText(RandomSecret());
        var credential = ServiceCenterCredential ?? new PSCredential("admin", SecretText.FromPlainText(RandomSecret()));
        var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(StartOsSandboxCommand).Assembly.Location)!;
        var options = new SandboxLaunchOptions
        {
            SandboxAssemblyPath = Path.Combine(moduleBase, "sandbox", SandboxProcess.AssemblyName),
            DataDirectory = directory,
            Port = Port,
            PaceMilliseconds = PaceMilliseconds,
            PublishLatencyMilliseconds = PublishLatencyMilliseconds,
            Seed = Seed,
            Reset = Reset.IsPresent,
            TwoStepEnvironments = TwoStepEnvironment,
            Token = token,
            ServiceCenterUser = credential.UserName,
            ServiceCenterPassword = credential.Password,
            StartTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
        };
        var info = RunAsync((reporter, cancel) => SandboxProcess.StartAsync(options, reporter, cancel));
        WriteObject(new OsSandbox
        {
            Url = info.Url,
            Token = token,
            PlatformDatabase = info.PlatformDatabase,
            PlatformDatabases = info.PlatformDatabases,
            ServiceCenterCredential = credential,
            DataDirectory = info.DataDirectory,
            ProcessId = info.ProcessId,
            ProcedureScript = SandboxProcedureScript.For(info.Url, token),
        });
    }

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
