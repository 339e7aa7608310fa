using System.Net;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Model;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// The applications' pages for smoke tests (GET /{environment}/{URLPath}/: 200 and
/// "&lt;title&gt;{AppName} {Version}&lt;/title&gt;", or 500 while a bad version runs) and the traffic
/// endpoint that simulates users writing into the application's OSUSR tables.
/// </summary>
internal static class AppPages
{
    public static void Map(WebApplication app, SandboxState state)
    {
        app.MapGet("/{environment}/{urlPath}/", (string environment, string urlPath) =>
        {
            if (!Resolve(state, environment, urlPath, out var env, out var application, out var running, out var problem)) return problem!;
            var version = state.Catalog.AppVersion(running!.AppVersions[application!.Key])!;
            var title = WebUtility.HtmlEncode($"{application.Name} {version.Tag}");
            if (IsBad(application, running))
                return Results.Content($"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Internal Server Error</h1><p>{title}: an unexpected error occurred (DiscountRules_Get failed).</p></body></html>", "text/html; charset=utf-8", statusCode: 500);
            return Results.Content($"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>Running in {WebUtility.HtmlEncode(env!.Name)}.</p></body></html>", "text/html; charset=utf-8");
        });

        app.MapPost("/{environment}/{urlPath}/api/traffic", (HttpContext context, string environment, string urlPath) =>
        {
            if (!Resolve(state, environment, urlPath, out var env, out var application, out var running, out var problem)) return problem!;
            var rowsText = context.Request.Query["rows"].ToString();
            var rows = 10;
            if (rowsText.Length > 0 && (!int.TryParse(rowsText, out rows) || rows is < 1 or > 10000))
                return Results.Json(new { error = "rows must be a number from 1 to 10000." }, Http.Sandbox, statusCode: 400);
            if (application!.TrafficEntities.Count == 0)
                return Results.Json(new { error = $"{application.Name} has no pages that write data." }, Http.Sandbox, statusCode: 400);
            var bad = IsBad(application, running!);
            var written = new List<object>();
            lock (state.Gate)
            {
                var database = state.Database(env!);
                using var connection = database.Open();
                using var tx = connection.BeginTransaction();
                var random = new Random(unchecked(state.Catalog.Seed * 31 + (int)state.Control.TotalRequests));
                var now = state.Now.UtcDateTime;
                for (var i = 0; i < rows; i++)
                {
                    var entity = application.TrafficEntities[i % application.TrafficEntities.Count];
                    var columns = PlatformDatabase.TableColumns(connection, entity.Table);
                    if (columns.Count == 0) continue;
                    var count = Convert.ToInt64(PlatformDatabase.Scalar(connection, $"SELECT COUNT(*) FROM {entity.Table}"));
                    var updatable = columns.Contains("UPDATED_ON") || entity.Attributes.Any(a => !a.IsKey && a.ReferencesTable is null && a.Type is "rtText" or "rtInteger" or "rtDecimal" && columns.Contains(a.Column));
                    if (i % 3 == 2 && count > 0 && updatable)
                    {
                        var key = PlatformDatabase.Scalar(connection, $"SELECT {entity.KeyColumn} FROM {entity.Table} ORDER BY {entity.KeyColumn} LIMIT 1 OFFSET $o", ("$o", random.NextInt64(count)))!;
                        var text = entity.Attributes.FirstOrDefault(a => a.Type == "rtText" && !a.IsKey && a.ReferencesTable is null && columns.Contains(a.Column));
                        var sets = new List<string>();
                        if (columns.Contains("UPDATED_ON")) sets.Add("UPDATED_ON = $now");
                        if (text is not null) sets.Add($"{text.Column} = $text");
                        if (bad && columns.Contains("DISCOUNT_CODE")) sets.Add("DISCOUNT_CODE = 'DISC-ERR'");
                        var number = entity.Attributes.FirstOrDefault(a => a.Type is "rtInteger" or "rtDecimal" && a.ReferencesTable is null && columns.Contains(a.Column));
                        if (text is null && number is not null) sets.Add($"{number.Column} = {number.Column} + 1");
                        if (sets.Count == 0) continue;
                        PlatformDatabase.Execute(connection, $"UPDATE {entity.Table} SET {string.Join(", ", sets)} WHERE {entity.KeyColumn} = $k",
                            ("$now", PlatformDatabase.FormatDate(now)), ("$text", $"Edited by a user at {now:HH:mm:ss}"), ("$k", key));
                        written.Add(new { table = entity.Table, key, operation = "update" });
                    }
                    else
                    {
                        var key = PlatformDatabase.InsertRow(connection, entity, columns, random, (int)count + 1, now, bad ? "DISC-ERR" : null);
                        written.Add(new { table = entity.Table, key, operation = "insert" });
                    }
                }
                tx.Commit();
            }
            return Results.Json(new { environment = env!.Name, application = application.Name, written }, Http.Sandbox);
        });
    }

    public static bool IsBad(AppDef application, RunningState running) =>
        application.Modules.Any(m => m.Versions.Any(v => v.IsBad && running.ModuleVersions.TryGetValue(m.Key, out var n) && n == v.Number));

    private static bool Resolve(SandboxState state, string environment, string urlPath, out EnvironmentDef? env, out AppDef? application, out RunningState? running, out IResult? problem)
    {
        env = state.Catalog.Environments.FirstOrDefault(e => string.Equals(e.Slug, environment, StringComparison.OrdinalIgnoreCase));
        application = state.Catalog.AppByUrlPath(urlPath);
        running = null;
        problem = null;
        if (env is null || application is null)
        {
            problem = Results.Content("<!DOCTYPE html><html><head><title>Not Found</title></head><body>Page not found.</body></html>", "text/html; charset=utf-8", statusCode: 404);
            return false;
        }
        running = state.Database(env).ReadRunning();
        if (!running.AppVersions.ContainsKey(application.Key))
        {
            problem = Results.Content($"<!DOCTYPE html><html><head><title>Not Found</title></head><body>{WebUtility.HtmlEncode(application.Name)} is not running in {env.Name}.</body></html>", "text/html; charset=utf-8", statusCode: 404);
            return false;
        }
        return true;
    }
}
