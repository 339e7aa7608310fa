using System.Globalization;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Model;
using OsRollback.Sandbox.Runtime;
using static OsRollback.Sandbox.Api.Http;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// LifeTime Deployment API v2 under /lifetimeapi/rest/v2, with the shapes, field names and
/// statuses of the platform contract (and the public LifeTime Swagger). The bearer token is
/// checked by <see cref="SandboxHost"/>'s middleware before any of these run.
/// </summary>
internal static class LifeTimeApi
{
    public const string Prefix = "/lifetimeapi/rest/v2";
    public const string OSVersion = "11.34.1.0";

    public static void Map(WebApplication app, SandboxState state)
    {
        var api = app.MapGroup(Prefix);
        var catalog = state.Catalog;

        // Environments.
        api.MapGet("/environments/", (HttpContext context) => Json(catalog.Environments.Select(e => EnvironmentJson(context, e)).ToList()));
        api.MapGet("/environments/{EnvironmentKey}/", (HttpContext context, string EnvironmentKey) =>
            FindEnvironment(catalog, EnvironmentKey) is { } e ? Json(EnvironmentJson(context, e)) : NoEnvironment(EnvironmentKey));
        api.MapGet("/environments/{EnvironmentKey}/applications/", (HttpContext context, string EnvironmentKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            if (!Includes(context.Request, out var modules, out var status, out var problem)) return problem!;
            var running = state.Database(environment).ReadRunning();
            var apps = catalog.Apps.Where(a => running.AppVersions.ContainsKey(a.Key))
                .Select(a => ApplicationJson(state, a, status ? [(environment, running)] : [], modules)).ToList();
            return apps.Count == 0 ? Results.NoContent() : Json(apps);
        });
        api.MapGet("/environments/{EnvironmentKey}/applications/{ApplicationKey}/", (HttpContext context, string EnvironmentKey, string ApplicationKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            if (!Includes(context.Request, out var modules, out var status, out var problem)) return problem!;
            var running = state.Database(environment).ReadRunning();
            if (catalog.App(ApplicationKey) is not { } app || !running.AppVersions.ContainsKey(app.Key))
                return Error(404, $"Failed to retrieve the application with key {ApplicationKey} in environment {environment.Name}.");
            return Json(ApplicationJson(state, app, status ? [(environment, running)] : [], modules));
        });
        api.MapGet("/environments/{EnvironmentKey}/applications/{ApplicationKey}/content/", (HttpContext context, string EnvironmentKey, string ApplicationKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            var running = state.Database(environment).ReadRunning();
            if (catalog.App(ApplicationKey) is not { } app || !running.AppVersions.TryGetValue(app.Key, out var versionKey))
                return Error(404, $"Failed to retrieve the environment with key {EnvironmentKey} or the application with key {ApplicationKey}.");
            var version = catalog.AppVersion(versionKey)!;
            var modules = app.Modules.Where(m => running.ModuleVersions.ContainsKey(m.Key))
                .Select(m => m.Versions.First(v => v.Number == running.ModuleVersions[m.Key])).ToList();
            return LinkJson(context, state.AddDownload($"{app.Name} {version.Tag} ({environment.Name}).oap", SolutionPackage.Build([version], modules)));
        });
        api.MapGet("/environments/{EnvironmentKey}/deploymentzones/", (string EnvironmentKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            return Json(new[]
            {
                new
                {
                    Key = SandboxState.DeploymentZoneKey(environment),
                    Name = "Global",
                    IsDefault = true,
                    DeploymentTechnology = new { Key = "dotnet", Name = ".NET" },
                },
            });
        });
        api.MapPut("/environments/{EnvironmentKey}/maintenancemode", async (HttpContext context, string EnvironmentKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            var body = await ReadJson(context.Request);
            var enabledText = body is { } b ? Property(b, "IsMaintenanceModeEnabled") : null;
            if (enabledText is null || !bool.TryParse(enabledText, out var enabled))
                return Error(400, "Failed to update the maintenance mode status due to a bad request: IsMaintenanceModeEnabled (true or false) is required.");
            lock (state.Gate) state.Maintenance[environment.Key] = (enabled, Property(body!.Value, "Reason") ?? "");
            return Results.Ok();
        });

        // Binary deployment (LifeTime 11.22+).
        api.MapPost("/environments/{EnvironmentKey}/deployment/", async (HttpContext context, string EnvironmentKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), "application/octet-stream", StringComparison.OrdinalIgnoreCase))
                return Error(400, "The binary deployment must be sent as application/octet-stream.");
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            SolutionPackage.Contents contents;
            try
            {
                contents = SolutionPackage.Read(buffer.ToArray(), catalog);
            }
            catch (FormatException ex)
            {
                return Error(400, "Invalid binary file: " + ex.Message);
            }
            var deployment = new Deployment { Key = SandboxState.NewKey(), Target = environment, CreatedOn = state.Now.UtcDateTime, IsBinary = true };
            foreach (var version in contents.Applications) deployment.Operations.Add((version, SandboxState.DeploymentZoneKey(environment)));
            deployment.BinaryModules.AddRange(contents.Modules);
            lock (state.Gate) state.Deployments.Add(deployment);
            return Results.Text(deployment.Key, "text/plain", statusCode: 201); // a plain key, as the official client reads it
        });

        // Solutions built on the server.
        api.MapPost("/environments/{EnvironmentKey}/solution", async (HttpContext context, string EnvironmentKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is not { } environment) return NoEnvironment(EnvironmentKey);
            var body = await ReadJson(context.Request);
            if (body is not { } b || Element(b, "ApplicationKeys") is not { ValueKind: System.Text.Json.JsonValueKind.Array } keys)
                return Error(400, "SolutionName and ApplicationKeys are required.");
            var running = state.Database(environment).ReadRunning();
            var apps = new List<AppDef>();
            foreach (var key in keys.EnumerateArray().Select(k => k.GetString() ?? ""))
            {
                if (catalog.App(key) is not { } app) return Error(400, $"Application with key {key} not found.");
                if (!running.AppVersions.ContainsKey(app.Key)) return Error(400, $"Application {app.Name} is not running in {environment.Name}.");
                apps.Add(app);
            }
            var includeReferences = bool.TryParse(Property(b, "IncludeReferences"), out var include) && include;
            if (includeReferences) apps = WithProducers(catalog, apps).Where(a => running.AppVersions.ContainsKey(a.Key)).ToList();
            var appVersions = apps.Select(a => catalog.AppVersion(running.AppVersions[a.Key])!).ToList();
            var modules = apps.SelectMany(a => a.Modules).Where(m => running.ModuleVersions.ContainsKey(m.Key))
                .Select(m => m.Versions.First(v => v.Number == running.ModuleVersions[m.Key])).ToList();
            var build = new SolutionBuild
            {
                Key = SandboxState.NewKey(), Name = Property(b, "SolutionName") ?? "Solution", Environment = environment, CreatedAt = state.Now,
                Package = SolutionPackage.Build(appVersions, modules),
            };
            lock (state.Gate) state.Solutions[build.Key] = build;
            return Results.Text(build.Key, "text/plain", statusCode: 200); // the Swagger documents 200
        });
        api.MapGet("/environments/{EnvironmentKey}/solutionstatus/{SolutionKey}", (string EnvironmentKey, string SolutionKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is null) return NoEnvironment(EnvironmentKey);
            if (!state.Solutions.TryGetValue(SolutionKey, out var build)) return Error(404, $"Solution with key {SolutionKey} not found.");
            var status = new { Status = state.SolutionStatus(build), StatusReason = "" };
            return state.Options.SolutionAnswersAsArrays ? Json(new[] { status }) : Json(status); // the official client: an object; the Swagger: an array
        });
        api.MapGet("/environments/{EnvironmentKey}/solution/{SolutionKey}", (HttpContext context, string EnvironmentKey, string SolutionKey) =>
        {
            if (FindEnvironment(catalog, EnvironmentKey) is null) return NoEnvironment(EnvironmentKey);
            if (!state.Solutions.TryGetValue(SolutionKey, out var build)) return Error(404, $"Solution with key {SolutionKey} not found.");
            // Only Completed has a package; before it the link answers 400 (the official client's flow).
            if (state.SolutionStatus(build) != SolutionBuild.Completed) return Error(400, $"Solution {SolutionKey} is not completed yet ({state.SolutionStatus(build)}).");
            return SolutionLinkJson(context, state.AddDownload(build.Name + ".osp", build.Package), asArray: state.Options.SolutionAnswersAsArrays);
        });

        // Applications.
        api.MapGet("/applications/", (HttpContext context) =>
        {
            if (!Includes(context.Request, out var modules, out var status, out var problem)) return problem!;
            var statuses = status ? catalog.Environments.Select(e => (e, state.Database(e).ReadRunning())).ToList() : [];
            return Json(catalog.Apps.Select(a => ApplicationJson(state, a, statuses, modules)).ToList());
        });
        api.MapGet("/applications/{ApplicationKey}/", (HttpContext context, string ApplicationKey) =>
        {
            if (!Includes(context.Request, out var modules, out var status, out var problem)) return problem!;
            if (catalog.App(ApplicationKey) is not { } app) return NoApplication(ApplicationKey);
            var statuses = status ? catalog.Environments.Select(e => (e, state.Database(e).ReadRunning())).ToList() : [];
            return Json(ApplicationJson(state, app, statuses, modules));
        });
        api.MapGet("/applications/{ApplicationKey}/versions/", (HttpContext context, string ApplicationKey) =>
        {
            if (catalog.App(ApplicationKey) is not { } app) return NoApplication(ApplicationKey);
            if (!MaximumVersions(context.Request, out var max)) return Error(400, "Invalid request due to invalid max versions to return (less than 0).");
            var filter = context.Request.Query["ChangeLogFilter"].ToString();
            var inUse = InUse(state);
            var versions = app.Versions.AsEnumerable().Reverse()
                .Where(v => filter.Length == 0 || v.ChangeLog.Contains(filter, StringComparison.OrdinalIgnoreCase))
                .Take(max)
                .Select(v => VersionJson(state, v, inUse)).ToList();
            return Json(versions);
        });
        api.MapGet("/applications/{ApplicationKey}/versions/{VersionKey}/", (HttpContext context, string ApplicationKey, string VersionKey) =>
        {
            // IncludeModules is required here (Swagger, Applications_Versions_Get).
            var includeModules = QueryBool(context.Request, "IncludeModules", out var valid);
            if (!valid || context.Request.Query["IncludeModules"].ToString().Length == 0)
                return Error(400, "The request is invalid: IncludeModules (true or false) is required.");
            if (catalog.App(ApplicationKey) is not { } app) return NoApplication(ApplicationKey);
            if (app.Versions.FirstOrDefault(v => string.Equals(v.Key, VersionKey, StringComparison.OrdinalIgnoreCase)) is not { } version)
                return Error(404, $"Failed to retrieve the version {VersionKey} of application {ApplicationKey}.");
            return Json(VersionJson(state, version, InUse(state), includeModules));
        });
        api.MapGet("/applications/{ApplicationKey}/versions/{VersionKey}/content/", (HttpContext context, string ApplicationKey, string VersionKey) =>
        {
            if (catalog.App(ApplicationKey) is not { } app) return NoApplication(ApplicationKey);
            if (app.Versions.FirstOrDefault(v => string.Equals(v.Key, VersionKey, StringComparison.OrdinalIgnoreCase)) is not { } version)
                return Error(404, $"Failed to retrieve the version {VersionKey} of application {ApplicationKey}.");
            var link = state.AddDownload($"{app.Name} {version.Tag}.oap", SolutionPackage.Build([version], version.ModuleVersions));
            return LinkJson(context, link);
        });

        // Modules.
        api.MapGet("/modules/", () => Json(catalog.Modules.Select(ModuleJson).ToList()));
        api.MapGet("/modules/{ModuleKey}/", (string ModuleKey) => catalog.Module(ModuleKey) is { } m ? Json(ModuleJson(m)) : NoModule(ModuleKey));
        api.MapGet("/modules/{ModuleKey}/versions/", (HttpContext context, string ModuleKey) =>
        {
            if (catalog.Module(ModuleKey) is not { } m) return NoModule(ModuleKey);
            if (!MaximumVersions(context.Request, out var max)) return Error(400, "Invalid request due to invalid max versions to return (less than 0).");
            return Json(m.Versions.AsEnumerable().Reverse().Take(max).Select(ModuleVersionJson).ToList());
        });
        api.MapGet("/modules/{ModuleKey}/versions/{ModuleVersionKey}/", (string ModuleKey, string ModuleVersionKey) =>
        {
            if (catalog.Module(ModuleKey) is not { } module) return NoModule(ModuleKey);
            return module.Versions.FirstOrDefault(v => string.Equals(v.Key, ModuleVersionKey, StringComparison.OrdinalIgnoreCase)) is { } version
                ? Json(ModuleVersionJson(version))
                : Error(404, $"Module version {ModuleVersionKey} not found.");
        });

        // Downloads (the link is the credential, as with LifeTime's expiring links).
        app.MapGet(Prefix + "/downloads/{DownloadKey}", (string DownloadKey) =>
        {
            DownloadLink? link;
            lock (state.Gate) state.Downloads.TryGetValue(DownloadKey, out link);
            if (link is null || link.Expires < state.Now) return Error(404, "The download link does not exist or has expired.");
            return Results.File(link.Content, "application/octet-stream", link.FileName);
        });

        DeploymentsApi.Map(api, state);
        TaggingApi.Map(api, state);
    }

    /// <summary>MaximumVersionsToReturn: the newest 5 when absent, all when 0, a 400 when negative or not a number.</summary>
    private static bool MaximumVersions(HttpRequest request, out int max)
    {
        var text = request.Query["MaximumVersionsToReturn"].ToString();
        max = 5;
        if (text.Length == 0) return true;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out max) || max < 0) return false;
        if (max == 0) max = int.MaxValue;
        return true;
    }

    public static EnvironmentDef? FindEnvironment(Catalog catalog, string key) =>
        catalog.Environments.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public static IResult NoEnvironment(string key) => Error(404, $"Failed to retrieve the environment with key: {key}.");
    private static IResult NoApplication(string key) => Error(404, $"Failed to retrieve the application with key {key}.");
    private static IResult NoModule(string key) => Error(404, $"Failed to retrieve the module with key {key}.");

    private static bool Includes(HttpRequest request, out bool modules, out bool status, out IResult? problem)
    {
        modules = QueryBool(request, "IncludeModules", out var modulesValid);
        status = QueryBool(request, "IncludeEnvStatus", out var statusValid);
        problem = null;
        if (!modulesValid || !statusValid) problem = Error(400, "IncludeModules and IncludeEnvStatus must be true or false.");
        else if (modules && !status) problem = Error(400, "Failed to retrieve applications because IncludeModules was requested but IncludeEnvStatus was not.");
        return problem is null;
    }

    public static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static object EnvironmentJson(HttpContext context, EnvironmentDef e) => new
    {
        e.Key,
        e.Name,
        OSVersion,
        e.Order,
        DetailsURL = $"{BaseUrl(context)}/lifetime/EnvironmentDetails.aspx?EnvironmentKey={e.Key}",
        // The sandbox serves every environment on one port: http://{HostName}/{URLPath}/ is an application's page.
        HostName = $"{context.Request.Host}/{e.Slug}",
        UseHTTPS = false,
        e.EnvironmentType,
        NumberOfFrontEnds = 1,
        ApplicationServerType = ".NET",
        ApplicationServer = "IIS",
        DatabaseProvider = "SqlServer",
        IsCloudEnvironment = false,
    };

    private static object ApplicationJson(SandboxState state, AppDef app, IReadOnlyList<(EnvironmentDef Environment, RunningState Running)> statuses, bool includeModules) => new
    {
        app.Key,
        app.Name,
        app.Kind,
        app.Team,
        app.Description,
        URLPath = app.UrlPath,
        IconHash = "",
        IconURL = "",
        DetailsURL = "",
        IsSystem = false,
        AppStatusInEnvs = statuses.Where(s => s.Running.AppVersions.ContainsKey(app.Key))
            .Select(s => AppStatusJson(state, app, s.Environment, s.Running, includeModules)).ToList(),
    };

    private static object AppStatusJson(SandboxState state, AppDef app, EnvironmentDef environment, RunningState running, bool includeModules)
    {
        var baseVersion = state.Catalog.AppVersion(running.AppVersions[app.Key])!;
        var modified = baseVersion.ModuleVersions.Any(mv => !running.ModuleVersions.TryGetValue(mv.Module.Key, out var n) || n != mv.Number);
        return new
        {
            EnvironmentKey = environment.Key,
            BaseApplicationVersionKey = baseVersion.Key,
            BaseApplicationVersionLabel = baseVersion.Tag,
            IsModified = modified,
            IsModifiedReason = modified ? "Modified" : "",
            IsModifiedMessage = modified ? "Modules were published after this version was tagged." : "",
            ConsistencyStatus = "OK",
            ConsistencyStatusMessages = "",
            MobileAppsStatus = app.Kind == "Mobile"
                ? new[] { new { NativePlatform = "Android", NativeHash = NativeHash(baseVersion) }, new { NativePlatform = "iOS", NativeHash = NativeHash(baseVersion) } }
                : Array.Empty<object>(),
            ModuleStatusInEnvs = includeModules
                ? app.Modules.Where(m => running.ModuleVersions.ContainsKey(m.Key)).Select(m => (object)new
                {
                    ApplicationKey = app.Key,
                    EnvironmentKey = environment.Key,
                    ModuleVersionKey = m.Versions.FirstOrDefault(v => v.Number == running.ModuleVersions[m.Key])?.Key ?? "",
                    ConsistencyStatus = "OK",
                    ConsistencyStatusMessages = "",
                }).ToList()
                : [],
            DeploymentZoneKey = SandboxState.DeploymentZoneKey(environment),
        };
    }

    private static HashSet<string> InUse(SandboxState state) =>
        state.Catalog.Environments.SelectMany(e => state.Database(e).ReadRunning().AppVersions.Values).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static object VersionJson(SandboxState state, AppVersionDef version, HashSet<string> inUse, bool includeModules = true) => new
    {
        version.Key,
        ApplicationKey = version.App.Key,
        Version = version.Tag,
        version.ChangeLog,
        version.CreatedOn,
        InUse = inUse.Contains(version.Key),
        MobileVersions = version.App.Kind == "Mobile"
            ? new[] { new { NativePlatform = "Android", VersionNumber = version.Tag, VersionDescription = "" }, new { NativePlatform = "iOS", VersionNumber = version.Tag, VersionDescription = "" } }
            : [],
        PrimaryColor = "#1068eb",
        NativeHash = NativeHash(version),
        ModuleVersions = includeModules ? version.ModuleVersions.Select(ModuleVersionJson).ToList() : [],
        EnvironmentKey = state.Catalog.Environments[0].Key,
    };

    /// <summary>A mobile app's native shell changes with tag 1.2.0 (a new plugin); web apps have none.</summary>
    internal static string NativeHash(AppVersionDef version) =>
        version.App.Kind != "Mobile" ? "" : SandboxState.StableHash($"{version.App.Key}|native|{(version.Index >= 2 ? 2 : 0)}");

    private static object ModuleJson(ModuleDef module) => new { module.Key, module.Name, Description = $"{module.Name} of {module.App.Name}", module.Kind };

    private static object ModuleVersionJson(ModuleVersionDef version) => new
    {
        version.Key,
        ModuleKey = version.Module.Key,
        version.CreatedOn,
        CreatedBy = "Sandbox Developer",
        CreatedByUsername = "developer",
        GeneralHash = version.Hash,
        DirectUpgradeFromHash = "",
    };

    private static IResult LinkJson(HttpContext context, DownloadLink link)
    {
        context.Response.Headers.Expires = link.Expires.ToString("R", CultureInfo.InvariantCulture);
        return Json(new { url = $"{BaseUrl(context)}{Prefix}/downloads/{link.Id}", expires = link.Expires.UtcDateTime });
    }

    /// <summary>
    /// The solution download link: an array of one DownloadSolutionLink {Url, ExpiresAt} (the
    /// Swagger), or an object {url, expires} (what the official client reads).
    /// </summary>
    private static IResult SolutionLinkJson(HttpContext context, DownloadLink link, bool asArray)
    {
        context.Response.Headers.Expires = link.Expires.ToString("R", CultureInfo.InvariantCulture);
        var url = $"{BaseUrl(context)}{Prefix}/downloads/{link.Id}";
        return asArray ? Json(new[] { new { Url = url, ExpiresAt = link.Expires.UtcDateTime } }) : Json(new { url, expires = link.Expires.UtcDateTime });
    }

    private static List<AppDef> WithProducers(Catalog catalog, List<AppDef> apps)
    {
        var result = new List<AppDef>(apps);
        for (var i = 0; i < result.Count; i++)
            foreach (var producer in result[i].Modules.SelectMany(m => m.Producers).Select(catalog.ModuleByName).OfType<ModuleDef>().Select(m => m.App))
                if (!result.Contains(producer)) result.Add(producer);
        return result;
    }
}
