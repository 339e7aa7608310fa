using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox;

/// <summary>How a sandbox starts (in-process through <see cref="SandboxHost.StartAsync"/>, or from the command line).</summary>
public sealed class SandboxOptions
{
    /// <summary>Folder of the platform databases (development.db, quality.db, production.db). Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>LifeTime service-account token expected as "Authorization: Bearer". A random one when empty.</summary>
    public string? Token { get; set; }

    /// <summary>Service Center user (default "admin").</summary>
    public string ServiceCenterUser { get; set; } = "admin";

    /// <summary>Service Center password, compared as given (no platform hashing). A random one when empty.</summary>
    public string? ServiceCenterPassword { get; set; }

    /// <summary>Time between the steps of a deployment or publish. Zero: a deployment finishes at the first look after it starts.</summary>
    public TimeSpan Pace { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Fixed extra time of every publish step (one per deployment or Service Center publish), for the wave benchmark.</summary>
    public TimeSpan PublishLatency { get; set; } = TimeSpan.Zero;

    /// <summary>Seed of the factory: changes keys and data values, never names.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Drop existing database files and seed them again.</summary>
    public bool Reset { get; set; }

    /// <summary>Environments (names) where LifeTime deployments are two-step: they stop in needs_user_intervention / deployment_prepared.</summary>
    public IList<string> TwoStepEnvironments { get; set; } = [];

    /// <summary>Element names Service Center speaks and publishes in its WSDL: "Classic" (default) or "Alternate".</summary>
    public string ServiceCenterDialect { get; set; } = "Classic";

    /// <summary>
    /// LifeTime refuses a plan that deploys a version lower than the one running in the target, as
    /// the LifeTime console does (off: the API accepts it, as the documented API rollback does).
    /// </summary>
    public bool RefuseLowerVersions { get; set; }

    /// <summary>
    /// LifeTime's version (default 11.23.0). From 11.24.0 (self-managed, as the sandbox's
    /// environments are) plans to one target run in parallel when they share no application or
    /// module; before it a second plan on a busy target is refused at start.
    /// </summary>
    public string LifeTimeVersion { get; set; } = "11.23.0";

    /// <summary>Whether <see cref="LifeTimeVersion"/> runs plans to one target in parallel.</summary>
    public bool ParallelDeployments => Version.TryParse(LifeTimeVersion, out var version) && version >= ParallelFrom;

    /// <summary>
    /// Whether several plans to one target may exist at once (Swagger, Deployments_Create: from
    /// LifeTime 11.21.0). Before it a saved plan on the target refuses a new one.
    /// </summary>
    public bool ParallelPlanCreation => Version.TryParse(LifeTimeVersion, out var version) && version >= ParallelCreationFrom;

    /// <summary>The first LifeTime that creates and edits plans to one target in parallel (Swagger).</summary>
    public static readonly Version ParallelCreationFrom = new(11, 21, 0);

    /// <summary>The first self-managed LifeTime that runs plans in parallel (docs-product deployment-plans.md).</summary>
    public static readonly Version ParallelFrom = new(11, 24, 0);

    /// <summary>
    /// Status of a created plan (POST /deployments/): 201, as the official client expects (default),
    /// or 200, as the Swagger documents. Where the two disagree the sandbox can play either.
    /// </summary>
    public int PlanCreatedStatusCode { get; set; } = 201;

    /// <summary>
    /// Solution status and download link as arrays of one (the Swagger's shape) instead of objects
    /// (default: what the official client reads, <c>solution_status["Status"]</c> and
    /// <c>response["url"]</c>; where the sources disagree, the official client is the better
    /// evidence of what a real LifeTime sends, and it fails on the arrays).
    /// </summary>
    public bool SolutionAnswersAsArrays { get; set; }

    /// <summary>GET deployments/{key}/ of a finished plan answers 500 "Invalid status change" (seen on real LifeTimes, forum thread 72201).</summary>
    public bool FinishedPlanDetailFails { get; set; }

    /// <summary>Faults active from the start.</summary>
    public IList<FaultRule> Faults { get; set; } = [];

    /// <summary>Clock of deployments, links and timestamps (a fake one in tests). Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Path of a log file (ASP.NET Core messages); none when null.</summary>
    public string? LogFile { get; set; }
}
