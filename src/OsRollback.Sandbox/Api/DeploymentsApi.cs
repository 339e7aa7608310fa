using OsRollback.Sandbox.Model;
using System.Globalization;
using System.Text.Json;
using OsRollback.Sandbox.Runtime;
using static OsRollback.Sandbox.Api.Http;

namespace OsRollback.Sandbox.Api;

/// <summary>LifeTime deployments: list, create, get (with conflicts), delete, start/continue/abort, status.</summary>
internal static class DeploymentsApi
{
    public static void Map(RouteGroupBuilder api, SandboxState state)
    {
        var catalog = state.Catalog;

        api.MapGet("/deployments/", (HttpContext context) =>
        {
            var now = state.Now.UtcDateTime;
            if (!Date(context.Request, "MinDate", now.AddDays(-7), out var min) || !Date(context.Request, "MaxDate", DateTime.MaxValue, out var max))
                return Error(400, "Invalid request: MinDate and MaxDate must be dates (yyyy-MM-dd).");
            var target = context.Request.Query["TargetEnvironmentKey"].ToString();
            if (target.Length > 0 && LifeTimeApi.FindEnvironment(catalog, target) is null) return LifeTimeApi.NoEnvironment(target);
            List<object> list;
            lock (state.Gate)
                list = state.Deployments
                    .Where(d => d.CreatedOn >= min && d.CreatedOn <= max && (target.Length == 0 || string.Equals(d.Target.Key, target, StringComparison.OrdinalIgnoreCase)))
                    .OrderByDescending(d => d.CreatedOn).ThenByDescending(d => state.Deployments.IndexOf(d))
                    .Select(DeploymentJson).ToList();
            return list.Count == 0 ? Results.NoContent() : Json(list);
        });

        api.MapPost("/deployments/", async (HttpContext context) =>
        {
            var body = await ReadJson(context.Request);
            if (body is not { ValueKind: JsonValueKind.Object } b) return Error(400, "Invalid request: the body must be a deployment (Notes, SourceEnvironmentKey, TargetEnvironmentKey, ApplicationOperations).");
            var sourceKey = Property(b, "SourceEnvironmentKey") ?? "";
            var targetKey = Property(b, "TargetEnvironmentKey") ?? "";
            if (LifeTimeApi.FindEnvironment(catalog, sourceKey) is not { } source) return Error(400, $"Source environment with key '{sourceKey}' not found.");
            if (LifeTimeApi.FindEnvironment(catalog, targetKey) is not { } target) return Error(400, $"Target environment with key '{targetKey}' not found.");
            if (source == target) return Error(400, "The source and target environments of a deployment cannot be the same.");
            if (!state.Options.ParallelPlanCreation && SavedOn(state, target) is { } saved)
                return Error(400, $"Failed to create the deployment: deployment {saved} is already saved for environment {target.Name}.");
            var deployment = new Deployment { Key = SandboxState.NewKey(), Source = source, Target = target, Notes = Property(b, "Notes") ?? "", CreatedOn = state.Now.UtcDateTime };
            if (Element(b, "ApplicationOperations") is { ValueKind: JsonValueKind.Array } operations)
            {
                foreach (var operation in operations.EnumerateArray())
                {
                    var versionKey = Property(operation, "ApplicationVersionKey") ?? "";
                    // Both fields are required (Swagger TextTextRecord); "" means the application's own zone.
                    if (Element(operation, "DeploymentZoneKey") is not { ValueKind: JsonValueKind.String })
                        return Error(400, $"Invalid request: DeploymentZoneKey is required (send \"\" for the application's zone) for application version '{versionKey}'.");
                    if (catalog.AppVersion(versionKey) is not { } version) return Error(400, $"Application version with key '{versionKey}' not found.");
                    if (deployment.Operations.Any(o => o.Version.App == version.App)) return Error(400, $"Application {version.App.Name} appears twice in the deployment.");
                    if (state.Options.RefuseLowerVersions && LowerThanRunning(state, target, version) is { } runningTag)
                        return Error(400, $"Unable to deploy version {version.Tag} of application {version.App.Name} to {target.Name}: it is lower than the version running there ({runningTag}).");
                    deployment.Operations.Add((version, Property(operation, "DeploymentZoneKey") is { Length: > 0 } zone ? zone : SandboxState.DeploymentZoneKey(target)));
                }
            }
            lock (state.Gate) state.Deployments.Add(deployment);
            return Results.Text(deployment.Key, "text/plain", statusCode: state.Options.PlanCreatedStatusCode); // 201 (official client) or 200 (Swagger)
        });

        api.MapGet("/deployments/{DeploymentKey}/", (string DeploymentKey) =>
        {
            if (Find(state, DeploymentKey) is not { } deployment) return NotFound(DeploymentKey);
            if (state.Options.FinishedPlanDetailFails && deployment.Run is { IsFinished: true })
                return Error(500, $"Failed to access the details of deployment with key {DeploymentKey}: Invalid status change.");
            var conflicts = deployment.Status == "saved" ? state.Conflicts(deployment) : [];
            return Json(new
            {
                Deployment = DeploymentJson(deployment),
                ApplicationsToDeploy = deployment.IsBinary
                    ? deployment.Operations.Select(o => (object)new
                    {
                        ApplicationKey = o.Version.App.Key,
                        ApplicationName = o.Version.App.Name,
                        IsNew = false,
                        ModulesInBinary = o.Version.ModuleVersions.Select(m => new { ModuleKey = m.Module.Key, ModuleName = m.Module.Name, IsNew = false }).ToList(),
                    }).ToList()
                    : [],
                ApplicationsToRedeploy = Array.Empty<string>(),
                ApplicationConflicts = conflicts.Select(c => new
                {
                    Message = $"{c.Consumer.App.Name} {c.Consumer.Tag} requires {c.Producer.Name} {SandboxSeedTag(c.MinIndex)} or later, but {c.Producer.Name} {c.ProducerVersion?.Tag ?? "(none)"} would run in {deployment.Target.Name}.",
                    ProducerApplicationOperation = Operation(deployment, c.Producer.Key, c.ProducerVersion),
                    ConsumerApplicationOperation = Operation(deployment, c.Consumer.App.Key, c.Consumer),
                    ModuleConflict = new
                    {
                        ProducerModuleKey = c.ProducerModule.Key,
                        ConsumerModuleKey = c.ConsumerModule.Key,
                        TotalRequiredElements = 1,
                        ConflictType = "Producer Element Missing",
                    },
                }).ToList(),
                ModulesToDelete = Array.Empty<object>(),
            });
        });

        api.MapDelete("/deployments/{DeploymentKey}/", (string DeploymentKey) =>
        {
            lock (state.Gate)
            {
                if (Find(state, DeploymentKey) is not { } deployment) return NotFound(DeploymentKey);
                if (deployment.Status != "saved") return Error(400, $"Deployment with key {DeploymentKey} cannot be deleted: its status is {deployment.Status}.");
                state.Deployments.Remove(deployment);
                return Results.NoContent();
            }
        });

        api.MapPost("/deployments/{DeploymentKey}/{Command}/", (HttpContext context, string DeploymentKey, string Command) =>
        {
            var details = QueryBool(context.Request, "IncludeErrorDetails", out _);
            lock (state.Gate)
            {
                if (Find(state, DeploymentKey) is not { } deployment) return NotFound(DeploymentKey);
                var now = state.Now;
                switch (Command.ToLowerInvariant())
                {
                    case "start":
                        if (deployment.Status != "saved")
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}: its status is {deployment.Status}.");
                        if (deployment.Operations.Count == 0 && deployment.BinaryModules.Count == 0)
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}: the deployment has no applications.");
                        // Refused while the target is in maintenance mode (Swagger); the reason only with IncludeErrorDetails.
                        if (state.Maintenance[deployment.Target.Key].Enabled)
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}." +
                                (details ? $" Environment {deployment.Target.Name} is in maintenance mode ({state.Maintenance[deployment.Target.Key].Reason})." : ""));
                        if (state.Options.ParallelDeployments && state.OverlappingOn(deployment) is { } overlap)
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}: deployment {overlap.Key} running for environment {deployment.Target.Name} already deploys {overlap.Shared}.");
                        if (!state.Options.ParallelDeployments && state.ActiveOn(deployment.Target) is { } running)
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}: deployment {running} is already running for environment {deployment.Target.Name}.");
                        if (state.Conflicts(deployment).Count > 0)
                            return Error(400, $"Command start can't be executed for deployment {DeploymentKey}: the deployment has conflicts.");
                        var modules = deployment.Modules;
                        var twoStep = state.Options.TwoStepEnvironments.Any(n => string.Equals(n, deployment.Target.Name, StringComparison.OrdinalIgnoreCase));
                        deployment.Run = state.StartRun(deployment.Target, modules, deployment.Operations.Select(o => o.Version).ToList(), twoStep);
                        return Results.Accepted();
                    case "continue":
                        if (deployment.Run is not { } run || !run.Continue(now))
                            return Error(400, $"Command continue can't be executed for deployment {DeploymentKey}: its status is {deployment.Status}.");
                        return Results.Accepted();
                    case "abort":
                        if (deployment.Run is not { } toAbort || !toAbort.Abort(now))
                            return Error(400, $"Command abort can't be executed for deployment {DeploymentKey}: its status is {deployment.Status}{(deployment.Run?.IsPublishing == true ? " and it is already publishing" : "")}.");
                        deployment.AbortedOn = now.UtcDateTime;
                        return Results.Accepted();
                    default:
                        return Error(404, $"Command {Command} not found: use start, continue or abort.");
                }
            }
        });

        api.MapGet("/deployments/{DeploymentKey}/status/", (string DeploymentKey) =>
        {
            lock (state.Gate)
            {
                if (Find(state, DeploymentKey) is not { } deployment) return NotFound(DeploymentKey);
                return Json(new
                {
                    DeploymentStatus = deployment.Status,
                    Info = deployment.Run?.Info ?? "",
                    DeploymentLog = (deployment.Run?.Messages ?? []).Select(m => new { m.Instant, m.Message, m.Type }).ToList(),
                });
            }
        });
    }

    /// <summary>The tag running in the target when <paramref name="version"/> is older than it (LifeTime's console refuses such a deployment).</summary>
    private static string? LowerThanRunning(SandboxState state, EnvironmentDef target, AppVersionDef version)
    {
        var running = state.Database(target).ReadRunning();
        if (!running.AppVersions.TryGetValue(version.App.Key, out var key) || state.Catalog.AppVersion(key) is not { } current) return null;
        return version.App.Versions.IndexOf(version) < version.App.Versions.IndexOf(current) ? current.Tag : null;
    }

    private static string SandboxSeedTag(int index) => Model.SeedFactory.Tags[index];

    private static object? Operation(Deployment deployment, string appKey, Model.AppVersionDef? version) => version is null ? null : new
    {
        ApplicationKey = appKey,
        ApplicationVersionKey = version.Key,
        DeploymentOperation = deployment.Operations.Any(o => o.Version == version) ? $"Deploy {version.Tag}" : $"Keep {version.Tag}",
    };

    /// <summary>A saved plan on the target (it blocks a new one before LifeTime 11.21).</summary>
    private static string? SavedOn(SandboxState state, Model.EnvironmentDef target)
    {
        lock (state.Gate) return state.Deployments.FirstOrDefault(d => d.Target == target && d.Status == "saved")?.Key;
    }

    private static Deployment? Find(SandboxState state, string key)
    {
        lock (state.Gate) return state.Deployments.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    private static IResult NotFound(string key) => Error(404, $"Deployment with key {key} not found.");

    private static bool Date(HttpRequest request, string name, DateTime fallback, out DateTime value)
    {
        var text = request.Query[name].ToString();
        value = fallback;
        if (text.Length == 0) return true;
        // The Swagger types both as dates: a date and time is refused, so a client sending one is caught.
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value)) return false;
        value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return true;
    }

    public static object DeploymentJson(Deployment d) => new
    {
        d.Key,
        SourceEnvironmentKey = d.Source?.Key ?? "",
        TargetEnvironmentKey = d.Target.Key,
        DetailsURL = "",
        d.Notes,
        d.CreatedOn,
        CreatedBy = "Sandbox Service Account",
        CreatedByUsername = "sandbox_api_account",
        SavedOn = d.CreatedOn,
        SavedBy = "Sandbox Service Account",
        SavedByUsername = "sandbox_api_account",
        StartedOn = d.Run?.StartedOn ?? Deployment.NotSet,
        StartedBy = d.Run is null ? "" : "Sandbox Service Account",
        StartedByUsername = d.Run is null ? "" : "sandbox_api_account",
        AbortedOn = d.AbortedOn ?? Deployment.NotSet,
        AbortedBy = d.AbortedOn is null ? "" : "Sandbox Service Account",
        AbortedByUsername = d.AbortedOn is null ? "" : "sandbox_api_account",
        ApplicationOperations = d.Operations.Select(o => new
        {
            ApplicationKey = o.Version.App.Key,
            ApplicationVersionKey = o.Version.Key,
            DeploymentOperation = $"Deploy {o.Version.Tag}",
            o.DeploymentZoneKey,
        }).ToList(),
    };
}
