using System.Security;

namespace OsRollback.Engine.Platform;

/// <summary>
/// Where LifeTime is and the service-account token to reach it. The token is held as a
/// read-only <see cref="SecureString"/>, has no public getter, and never appears in
/// <see cref="ToString"/>, messages or exceptions.
/// </summary>
public sealed class LifeTimeConnection
{
    public const string ApiPath = "lifetimeapi/rest/v2/";

    public LifeTimeConnection(string uri, SecureString token, PlatformHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        Options = options ?? PlatformHttpOptions.Default;
        var parsed = PlatformHttpClient.ValidateEndpoint(uri, Options.AllowInsecureHttp, LifeTimeClient.ServiceName);
        var root = parsed.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var at = root.IndexOf("/lifetimeapi", StringComparison.OrdinalIgnoreCase);
        if (at >= 0) root = root[..at];
        Uri = new Uri(root + "/");
        ApiUri = new Uri(Uri, ApiPath);
        Token = token.IsReadOnly() ? token : Copy(token);
    }

    /// <summary>The LifeTime server (without the API path).</summary>
    public Uri Uri { get; }

    /// <summary>The base of the LifeTime API v2.</summary>
    public Uri ApiUri { get; }

    public string Host => Uri.Host;

    public PlatformHttpOptions Options { get; }

    /// <summary>
    /// Maintenance mode as this connection last set it, per environment key. LifeTime's API can set
    /// maintenance mode but not read it (the Swagger's Environment has no such field), so a start
    /// that this session would send into a target it put in maintenance mode is refused first.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> MaintenanceModeSet { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When Connect-OsLifeTime checked the token (null when not checked).</summary>
    public DateTimeOffset? ConnectedOn { get; init; }

    /// <summary>Number of environments LifeTime listed when connecting.</summary>
    public int EnvironmentCount { get; init; }

    /// <summary>Whether plans to one target run in parallel (see <see cref="Platform.ParallelDeployments"/>).</summary>
    public ParallelDeploymentMode ParallelDeployments { get; init; } = ParallelDeploymentMode.Auto;

    /// <summary>LifeTime's version as the user gave it (null: not known); used by <see cref="ParallelDeploymentMode.Auto"/>.</summary>
    public Version? LifeTimeVersion { get; init; }

    internal SecureString Token { get; }

    /// <summary>The same server, token and deployment settings with other HTTP options (tests, benchmarks).</summary>
    public LifeTimeConnection WithOptions(PlatformHttpOptions options) =>
        new(Uri.ToString(), Token, options) { ParallelDeployments = ParallelDeployments, LifeTimeVersion = LifeTimeVersion, ConnectedOn = ConnectedOn, EnvironmentCount = EnvironmentCount };

    public override string ToString() => $"LifeTime {Uri}";

    internal static SecureString Copy(SecureString secret)
    {
        var copy = secret.Copy();
        copy.MakeReadOnly();
        return copy;
    }
}

/// <summary>
/// Where Service Center is, the user and its platform-hashed password (a '#' followed by the
/// hash OutSystems computes; OsRollback cannot compute it and sends it as given). The password
/// has no public getter and never appears in <see cref="ToString"/>, messages or exceptions.
/// </summary>
public sealed class ServiceCenterConnection
{
    public ServiceCenterConnection(string uri, string userName, SecureString password, PlatformHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (string.IsNullOrWhiteSpace(userName)) throw new ArgumentException("A Service Center user name is required.", nameof(userName));
        Options = options ?? PlatformHttpOptions.Default;
        var parsed = PlatformHttpClient.ValidateEndpoint(uri, Options.AllowInsecureHttp, ServiceCenterClient.ServiceName);
        var root = parsed.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var at = root.IndexOf("/ServiceCenter", StringComparison.OrdinalIgnoreCase);
        if (at >= 0) root = root[..at];
        Uri = new Uri(root + "/");
        UserName = userName;
        Password = password.IsReadOnly() ? password : LifeTimeConnection.Copy(password);
    }

    /// <summary>The environment's server (Service Center lives under /ServiceCenter).</summary>
    public Uri Uri { get; }
    public string Host => Uri.Host;
    public string UserName { get; }
    public PlatformHttpOptions Options { get; }
    public DateTimeOffset? ConnectedOn { get; init; }
    public int ModuleCount { get; init; }
    internal SecureString Password { get; }

    /// <summary>The PlatformServices contract read from the service's WSDL by the first call on this connection.</summary>
    internal ServiceCenterWsdl? Contract { get; set; }

    public ServiceCenterConnection WithOptions(PlatformHttpOptions options) => new(Uri.ToString(), UserName, Password, options);

    public override string ToString() => $"Service Center {Uri} as {UserName}";
}
