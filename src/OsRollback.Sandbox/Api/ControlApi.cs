using System.Text.Json;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Api;

/// <summary>The sandbox's own endpoints under /_sandbox (bearer token required, camelCase JSON, never faulted).</summary>
internal static class ControlApi
{
    public static void Map(WebApplication app, SandboxState state)
    {
        var control = state.Control;
        app.MapGet("/_sandbox/state", () =>
        {
            var environments = state.Catalog.Environments.Select(e =>
            {
                var running = state.Database(e).ReadRunning();
                var (maintenance, reason) = state.Maintenance[e.Key];
                return new
                {
                    key = e.Key,
                    name = e.Name,
                    slug = e.Slug,
                    platformDatabase = state.Database(e).Path,
                    maintenanceMode = maintenance,
                    maintenanceReason = reason,
                    applications = state.Catalog.Apps.Where(a => running.AppVersions.ContainsKey(a.Key)).Select(a =>
                    {
                        var version = state.Catalog.AppVersion(running.AppVersions[a.Key])!;
                        var modules = a.Modules.Select(m => new { key = m.Key, name = m.Name, kind = m.Kind, version = running.ModuleVersions.GetValueOrDefault(m.Key) }).ToList();
                        return new
                        {
                            key = a.Key,
                            name = a.Name,
                            urlPath = a.UrlPath,
                            appType = a.AppType,
                            version = version.Tag,
                            versionKey = version.Key,
                            isModified = version.ModuleVersions.Any(mv => running.ModuleVersions.GetValueOrDefault(mv.Module.Key) != mv.Number),
                            isBad = a.Modules.Any(m => m.Versions.Any(v => v.IsBad && running.ModuleVersions.GetValueOrDefault(m.Key) == v.Number)),
                            modules,
                        };
                    }).ToList(),
                };
            }).ToList();
            lock (state.Gate)
            {
                return Results.Json(new
                {
                    seed = state.Catalog.Seed,
                    now = state.Now.UtcDateTime,
                    environments,
                    deployments = state.Deployments.Select(d => new { key = d.Key, status = d.Status, info = d.Run?.Info ?? "", source = d.Source?.Name, target = d.Target.Name, binary = d.IsBinary }).ToList(),
                    publishes = state.Publishes.Values.Select(p => new { publishId = p.Id, status = p.Status, environment = p.Target.Name, modules = p.Modules.Count }).ToList(),
                    timerRuns = state.TimerRuns.TakeLast(100).Select(t => new { environment = t.Environment, timer = t.Timer, at = t.At }).ToList(),
                    faults = control.Faults,
                    nextDeploymentOutcome = control.NextDeploymentOutcome,
                    requests = new { total = control.TotalRequests, byRoute = control.RequestCounts },
                }, Http.Sandbox);
            }
        });
        app.MapPost("/_sandbox/faults", async (HttpContext context) =>
        {
            List<FaultRule> rules;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body);
                rules = document.RootElement.ValueKind == JsonValueKind.Array
                    ? document.RootElement.Deserialize<List<FaultRule>>(Http.Sandbox) ?? []
                    : [document.RootElement.Deserialize<FaultRule>(Http.Sandbox)!];
                foreach (var rule in rules) control.AddFault(rule);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                return Results.Json(new { error = "Invalid fault: " + ex.Message }, Http.Sandbox, statusCode: 400);
            }
            return Results.Json(control.Faults, Http.Sandbox, statusCode: 201);
        });
        app.MapDelete("/_sandbox/faults", () =>
        {
            control.ClearFaults();
            return Results.NoContent();
        });
        app.MapPost("/_sandbox/deployment-outcome", async (HttpContext context) =>
        {
            var body = await Http.ReadJson(context.Request);
            try
            {
                var outcome = SandboxControl.ParseOutcome(body is { } b ? Http.Property(b, "outcome") : null);
                control.SetNextDeploymentOutcome(outcome, body is { } b2 ? Http.Property(b2, "info") : null);
            }
            catch (ArgumentException ex)
            {
                return Results.Json(new { error = ex.Message }, Http.Sandbox, statusCode: 400);
            }
            return Results.Json(new { nextDeploymentOutcome = control.NextDeploymentOutcome }, Http.Sandbox);
        });
        app.MapDelete("/_sandbox/requests", () =>
        {
            control.ResetRequestCounts();
            return Results.NoContent();
        });
        app.MapPost("/_sandbox/shutdown", (IHostApplicationLifetime lifetime) =>
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                lifetime.StopApplication();
            });
            return Results.Accepted();
        });
    }
}
