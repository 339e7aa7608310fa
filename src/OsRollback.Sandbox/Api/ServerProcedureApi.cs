using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// The application servers' side of OutSystems' platform-database restore procedure, under
/// /_sandbox/servers/{environment} (bearer token): stop, start, configure (the Configuration Tool
/// applied; ?role=DeploymentController on the controller), apply-settings, and GET for their state
/// and the operations done, in order. What an operator's -ProcedureScript hook calls in a drill.
/// </summary>
internal static class ServerProcedureApi
{
    public static void Map(WebApplication app, SandboxState state)
    {
        app.MapGet("/_sandbox/servers/{environment}", (string environment) => With(state, environment, env => state.Farm.Describe(env, state.Database(env))));
        app.MapPost("/_sandbox/servers/{environment}/stop", (HttpContext context, string environment) =>
            With(state, environment, env => { state.Farm.Stop(env, Server(context)); return state.Farm.Describe(env, state.Database(env)); }));
        app.MapPost("/_sandbox/servers/{environment}/start", (HttpContext context, string environment) =>
            With(state, environment, env => { state.Farm.Start(env, Server(context)); return state.Farm.Describe(env, state.Database(env)); }));
        app.MapPost("/_sandbox/servers/{environment}/configure", (HttpContext context, string environment) => With(state, environment, env =>
        {
            var controller = string.Equals(context.Request.Query["role"].ToString(), "DeploymentController", StringComparison.OrdinalIgnoreCase);
            state.Farm.Configure(env, state.Database(env), Server(context), controller);
            return state.Farm.Describe(env, state.Database(env));
        }));
        app.MapPost("/_sandbox/servers/{environment}/apply-settings", (HttpContext context, string environment) =>
            With(state, environment, env => { state.Farm.ApplySettings(env, Server(context)); return state.Farm.Describe(env, state.Database(env)); }));
    }

    private static string Server(HttpContext context) => context.Request.Query["server"].ToString() is { Length: > 0 } name ? name : "all";

    private static IResult With(SandboxState state, string environment, Func<Model.EnvironmentDef, object> act)
    {
        var env = state.Catalog.Environment(environment);
        if (env is null) return Results.Json(new { error = $"No environment '{environment}'." }, Http.Sandbox, statusCode: 404);
        lock (state.Gate) return Results.Json(act(env), Http.Sandbox);
    }
}
