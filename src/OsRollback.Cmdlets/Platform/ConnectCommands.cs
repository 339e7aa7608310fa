using System.Management.Automation;
using System.Security;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;

namespace OsRollback.Cmdlets.Platform;

/// <summary>The parameters Connect-OsLifeTime and Connect-OsServiceCenter share: where, and how HTTP behaves.</summary>
public abstract class ConnectCmdlet : OsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Url")] // Start-OsSandbox and most web tools name it Url
    public string Uri { get; set; } = "";

    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaximumRetryCount { get; set; } = 4;
}

/// <summary>Connect-OsLifeTime: checks a service-account token against LifeTime and makes it the default connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "OsLifeTime", DefaultParameterSetName = TokenSet)]
[OutputType(typeof(LifeTimeConnection))]
public sealed class ConnectOsLifeTimeCommand : ConnectCmdlet
{
    public const string TokenSet = "Token";
    public const string VariableSet = "TokenEnvironmentVariable";


    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    public SecureString Token { get; set; } = new();

    [Parameter(Mandatory = true, ParameterSetName = VariableSet)]
    [ValidateNotNullOrEmpty]
    public string TokenEnvironmentVariable { get; set; } = "";

    [Parameter]
    [ValidateRange(0.05, 300)]
    public double PollIntervalSec { get; set; } = 2;

    [Parameter]
    [ValidateSet("Auto", "Enabled", "Disabled")]
    public string ParallelDeployments { get; set; } = "Auto";

    [Parameter]
    [ValidateNotNull]
    public Version? LifeTimeVersion { get; set; }

    protected override void EndProcessing()
    {
        var parallel = Enum.Parse<ParallelDeploymentMode>(ParallelDeployments, ignoreCase: true);
        var connection = RunAsync(async (reporter, cancel) =>
        {
            var token = ParameterSetName == VariableSet ? FromVariable(TokenEnvironmentVariable) : Token;
            var options = ConnectOptions.Build(AllowInsecureHttp.IsPresent, TimeoutSec, MaximumRetryCount, PollIntervalSec);
            var candidate = new LifeTimeConnection(Uri, token, options);
            using var client = new LifeTimeClient(candidate);
            reporter.Verbose($"Checking the token against {candidate.ApiUri}.");
            var environments = await client.GetEnvironmentsAsync(cancel).ConfigureAwait(false);
            var connected = new LifeTimeConnection(Uri, token, options)
            {
                ConnectedOn = DateTimeOffset.UtcNow, EnvironmentCount = environments.Count, ParallelDeployments = parallel, LifeTimeVersion = LifeTimeVersion,
            };
            return connected;
        });
        Services.Connections.LifeTime = connection;
        WriteObject(connection);
    }

    private static SecureString FromVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
            throw new OsRollbackException("TokenVariableEmpty", OsErrorCategory.InvalidArgument, $"The environment variable '{name}' is not set or empty.", name,
                "Set it to the service-account token (in Azure DevOps, map the secret variable into the step's env:), or use -Token.");
        return SecretText.FromPlainText(value.Trim());
    }
}

/// <summary>Connect-OsServiceCenter: checks a user and platform-hashed password against Service Center and makes it the default connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "OsServiceCenter")]
[OutputType(typeof(ServiceCenterConnection))]
public sealed class ConnectOsServiceCenterCommand : ConnectCmdlet
{

    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter]
    [ValidateRange(0.05, 300)]
    public double PollIntervalSec { get; set; } = 1;

    protected override void EndProcessing()
    {
        var connection = RunAsync(async (reporter, cancel) =>
        {
            var options = ConnectOptions.Build(AllowInsecureHttp.IsPresent, TimeoutSec, MaximumRetryCount, PollIntervalSec);
            var candidate = new ServiceCenterConnection(Uri, Credential.UserName, Credential.Password, options);
            using var client = new ServiceCenterClient(candidate);
            reporter.Verbose($"Checking the credential against Service Center at {candidate.Uri}.");
            var modules = await client.GetModulesAsync(cancel).ConfigureAwait(false);
            return new ServiceCenterConnection(Uri, Credential.UserName, Credential.Password, options) { ConnectedOn = DateTimeOffset.UtcNow, ModuleCount = modules.Count };
        });
        Services.Connections.ServiceCenter = connection;
        WriteObject(connection);
    }
}
