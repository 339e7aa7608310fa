using System.Text.Json;
using OsRollback.Sandbox.Model;
using OsRollback.Sandbox.Runtime;
using static OsRollback.Sandbox.Api.Http;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// POST /environments/{e}/applications/{a}/versions/ (LifeTime API v2, documented): tags what runs
/// in the environment as a new application version (ChangeLog, Version, MobileVersions) and
/// answers 201 with its key; the environment then runs that tag, unmodified.
/// </summary>
internal static class TaggingApi
{
    public static void Map(RouteGroupBuilder api, SandboxState state)
    {
        api.MapPost("/environments/{EnvironmentKey}/applications/{ApplicationKey}/versions/", Tag); // the Swagger's path (with the slash)

        async Task<IResult> Tag(HttpContext context, string EnvironmentKey, string ApplicationKey)
        {
            var catalog = state.Catalog;
            if (LifeTimeApi.FindEnvironment(catalog, EnvironmentKey) is not { } environment) return LifeTimeApi.NoEnvironment(EnvironmentKey);
            if (catalog.App(ApplicationKey) is not { } app) return Error(404, $"Failed to retrieve the application with key {ApplicationKey}.");
            var body = await ReadJson(context.Request);
            if (body is not { ValueKind: JsonValueKind.Object } b || Property(b, "Version") is not { Length: > 0 } tag)
                return Error(400, "Invalid request: the body must hold the new Version (and optionally ChangeLog, MobileVersions).");
            var running = state.Database(environment).ReadRunning();
            var modules = app.Modules.Where(m => running.ModuleVersions.ContainsKey(m.Key))
                .Select(m => m.Versions.First(v => v.Number == running.ModuleVersions[m.Key])).ToList();
            if (modules.Count == 0) return Error(400, $"Application {app.Name} does not run in environment {environment.Name}.");
            AppVersionDef version;
            lock (state.Gate)
            {
                if (app.Versions.Any(v => string.Equals(v.Tag, tag, StringComparison.OrdinalIgnoreCase)))
                    return Error(400, $"Application {app.Name} already has a version {tag}.");
                version = new AppVersionDef
                {
                    Key = SandboxState.NewKey(), App = app, Tag = tag, Index = modules.Max(m => m.Index), CreatedOn = state.Now.UtcDateTime,
                    ChangeLog = Property(b, "ChangeLog") ?? "",
                };
                version.ModuleVersions.AddRange(modules);
                app.Versions.Add(version);
            }
            state.Database(environment).Publish([], [version], state.Now.UtcDateTime);
            return Json(new { ApplicationVersionKey = version.Key }, 201); // TextRecord (Swagger)
        }
    }
}
