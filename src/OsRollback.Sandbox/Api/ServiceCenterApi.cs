using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using OsRollback.Sandbox.Model;
using OsRollback.Sandbox.Runtime;
using static OsRollback.Sandbox.Api.ServiceCenterSoapWire;

namespace OsRollback.Sandbox.Api;

/// <summary>
/// Service Center of each environment: the SOAP calls and the staging REST call of
/// docs/sandbox.md. Plain paths (/ServiceCenter/...) reach Production; /{environment}/ServiceCenter/...
/// reaches development, quality or production. GET ...asmx?WSDL serves the WSDL of the configured
/// dialect (<see cref="SandboxOptions.ServiceCenterDialect"/>). Wrong credentials answer errorCode 1
/// with HTTP 200 from Module_GetVersions (the only method with an error code), a SOAP fault from
/// the others, and 401 from REST.
/// </summary>
internal static class ServiceCenterApi
{
    public const int Ok = 0, BadCredentials = 1, NotFound = 2, InvalidArgument = 3, InvalidState = 4;

    public static void Map(WebApplication app, SandboxState state)
    {
        app.MapGet(SoapPath, (Delegate)((HttpContext context) => Wsdl(context, state, "production")));
        app.MapGet("/{environment}" + SoapPath, (HttpContext context, string environment) => Wsdl(context, state, environment));
        app.MapPost(SoapPath, (Delegate)((HttpContext context) => Soap(context, state, "production")));
        app.MapPost("/{environment}" + SoapPath, (HttpContext context, string environment) => Soap(context, state, environment));
        app.MapPost(StagingPath, (Delegate)((HttpContext context) => Staging(context, state, "production")));
        app.MapPost("/{environment}" + StagingPath, (HttpContext context, string environment) => Staging(context, state, environment));
    }

    private static IResult Wsdl(HttpContext context, SandboxState state, string slug)
    {
        if (!state.Catalog.Environments.Any(e => string.Equals(e.Slug, slug, StringComparison.OrdinalIgnoreCase))) return Results.NotFound();
        if (!context.Request.Query.ContainsKey("WSDL") && !context.Request.Query.ContainsKey("wsdl")) return Results.Text("Use ?WSDL for the service description.", "text/plain", statusCode: 400);
        var location = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}";
        return Results.Text(Dialect(state).Wsdl(location), "text/xml", Encoding.UTF8);
    }

    private static ServiceCenterDialect Dialect(SandboxState state) => ServiceCenterDialect.Named(state.Options.ServiceCenterDialect);

    private static async Task<IResult> Soap(HttpContext context, SandboxState state, string slug)
    {
        var environment = state.Catalog.Environments.FirstOrDefault(e => string.Equals(e.Slug, slug, StringComparison.OrdinalIgnoreCase));
        if (environment is null) return Results.NotFound();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        Call call;
        try
        {
            call = ReadRequest(await reader.ReadToEndAsync(), Dialect(state));
        }
        catch (FormatException ex)
        {
            return Xml(Fault("Sender", ex.Message), 500);
        }
        if (call.Definition is null) return Xml(Fault("Sender", $"Unknown method {call.Method}."), 500);
        if (!Authenticate(state, call.User, call.Password))
        {
            return call.Method == "Module_GetVersions"
                ? Xml(Response(call, null, 0, BadCredentials, "Invalid username or password."))
                : Xml(Fault("Sender", "Invalid username or password."), 500);
        }
        return call.Method switch
        {
            "Modules_Get" => ModulesGet(state, environment, call),
            "Module_GetVersions" => ModuleGetVersions(state, environment, call),
            "SolutionPack_PublishWith2StepOption" => Publish(state, environment, call),
            "SolutionPack_GetPublishMessages" => Messages(state, call),
            "SolutionPack_PublishContinue" => Command(state, call, continueRun: true),
            "SolutionPack_PublishAbort" => Command(state, call, continueRun: false),
            _ => Xml(Fault("Sender", $"Unknown method {call.Method}."), 500),
        };
    }

    private static IResult ModulesGet(SandboxState state, EnvironmentDef environment, Call call)
    {
        var running = state.Database(environment).ReadRunning();
        var modules = state.Catalog.Modules.Where(m => running.ModuleVersions.ContainsKey(m.Key))
            .Select(m => ServiceCenterSoapWire.Module(call.Dialect, m.Key, m.Name, m.Kind, running.ModuleVersions[m.Key]));
        return Xml(Response(call, modules));
    }

    // Out values: publishedVersion, errorCode, errorMessage.
    private static IResult ModuleGetVersions(SandboxState state, EnvironmentDef environment, Call call)
    {
        var module = state.Catalog.Module(call.Argument(0));
        if (module is null) return Xml(Response(call, null, 0, NotFound, $"Module with key '{call.Argument(0)}' not found."));
        var running = state.Database(environment).ReadRunning();
        var rows = state.Database(environment).ModuleVersionRows(module);
        return Xml(Response(call, rows.Select(r => ModuleVersion(call.Dialect, r.Version, r.CreatedOn.Replace(' ', 'T'), r.Hash)),
            running.ModuleVersions.GetValueOrDefault(module.Key), Ok, ""));
    }

    // The result is the list of messages; out publishId is 0 when the pack is refused, and the messages say why.
    private static IResult Publish(SandboxState state, EnvironmentDef environment, Call call)
    {
        SolutionPackage.Contents contents;
        try
        {
            contents = SolutionPackage.Read(Convert.FromBase64String(call.Argument(0)), state.Catalog);
        }
        catch (FormatException ex)
        {
            return Xml(Response(call, [PublishMessage(call.Dialect, 1, "Error", "Invalid solution pack.", ex.Message)], 0));
        }
        if (Refusal(state, environment) is { } refused)
            return Xml(Response(call, [PublishMessage(call.Dialect, 1, "Error", "The publication was refused.", refused)], 0));
        var run = Start(state, environment, contents.Modules, contents.Applications, ReadBool(call.Argument(1)));
        return Xml(Response(call, [PublishMessage(call.Dialect, 0, "Info", "Solution pack uploaded.", "")], run.Id));
    }

    private static string? Refusal(SandboxState state, EnvironmentDef environment)
    {
        lock (state.Gate) return state.Farm.PublishRefusal(environment, state.Database(environment));
    }

    private static PublishRun Start(SandboxState state, EnvironmentDef environment, IReadOnlyList<ModuleVersionDef> modules, IReadOnlyList<AppVersionDef> apps, bool twoStep)
    {
        lock (state.Gate)
        {
            var run = state.StartRun(environment, modules, apps, twoStep);
            state.Publishes[run.Id] = run;
            return run;
        }
    }

    // The result is the messages after afterMessageId; out lastMessageId and finished. Stage one of
    // a two-step run ends with a message of type PublishStop.
    private static IResult Messages(SandboxState state, Call call)
    {
        if (!int.TryParse(call.Argument(0), out var id)) return Xml(Fault("Sender", "The publish id must be a number."), 500);
        _ = int.TryParse(call.Argument(1), out var after); // no or a bad cursor: messages from the start
        lock (state.Gate)
        {
            if (!state.Publishes.TryGetValue(id, out var run)) return Xml(Fault("Receiver", $"Publish {id} not found."), 500);
            var messages = run.Messages.Where(m => m.Id > after).ToList();
            return Xml(Response(call,
                messages.Select(m => PublishMessage(call.Dialect, m.Id, m.Id == run.StopMessageId ? "PublishStop" : m.Type, m.Message, m.Detail)),
                run.Messages.Count == 0 ? after : Math.Max(after, run.Messages[^1].Id),
                run.IsFinished));
        }
    }

    private static IResult Command(SandboxState state, Call call, bool continueRun)
    {
        if (!int.TryParse(call.Argument(0), out var id)) return Xml(Fault("Sender", "The publish id must be a number."), 500);
        lock (state.Gate)
        {
            if (!state.Publishes.TryGetValue(id, out var run)) return Xml(Fault("Receiver", $"Publish {id} not found."), 500);
            var done = continueRun ? run.Continue(state.Now) : run.Abort(state.Now);
            return done
                ? Xml(Response(call, null))
                : Xml(Fault("Receiver", $"Publish {id} cannot be {(continueRun ? "continued" : "aborted")}: its status is {run.Status}."), 500);
        }
    }

    private static async Task<IResult> Staging(HttpContext context, SandboxState state, string slug)
    {
        var environment = state.Catalog.Environments.FirstOrDefault(e => string.Equals(e.Slug, slug, StringComparison.OrdinalIgnoreCase));
        if (environment is null) return Results.NotFound();
        if (!BasicCredentials(context.Request, out var user, out var password) || !Authenticate(state, user, password))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"ServiceCenter\"";
            return Http.Error(401, "Invalid username or password.");
        }
        var body = await Http.ReadJson(context.Request);
        if (body is not { } b || Http.Element(b, "ModulesToPublish") is not { ValueKind: JsonValueKind.Array } list)
            return Http.Error(400, "ModulesToPublish is required.");
        var running = state.Database(environment).ReadRunning();
        var modules = new List<ModuleVersionDef>();
        foreach (var item in list.EnumerateArray())
        {
            var rest = Http.Element(item, "REST_Module") ?? item;
            var module = (Http.Property(rest, "Key") is { Length: > 0 } key ? state.Catalog.Module(key) : null)
                ?? (Http.Property(rest, "Name") is { Length: > 0 } name ? state.Catalog.ModuleByName(name) : null);
            // A refused staging answers publishId 0 with the reasons, as SetupTools reads it (AppMgmt_ModulesPublish).
            if (module is null) return Refused($"Module {Http.Property(rest, "Name") ?? Http.Property(rest, "Key") ?? "(unnamed)"} does not exist in this environment.", rest.GetRawText());
            var number = int.TryParse(Http.Property(rest, "Version"), out var n) ? n : running.ModuleVersions.GetValueOrDefault(module.Key, module.Versions[^1].Number);
            var version = module.Versions.FirstOrDefault(v => v.Number == number);
            if (version is null) return Http.Error(400, $"Version {number} of module {module.Name} not found.");
            modules.Add(version);
        }
        if (modules.Count == 0) return Http.Error(400, "ModulesToPublish is empty.");
        if (state.Control.TakeStagingRefusal() is { } refusal) return Refused(refusal, string.Join(", ", modules.Select(m => m.Module.Name)));
        var twoStep = Http.QueryBool(context.Request, "TwoStepMode", out _);
        // As Service Center refuses (SetupTools AppMgmt_ModulesPublish): publishId 0 and the reasons.
        if (Refusal(state, environment) is { } refused)
            return Http.Json(new { PublishId = 0, Messages = new[] { new { REST_PublicationMessage = new { Message = "The publication was refused.", Detail = refused } } } });
        var run = Start(state, environment, modules, [], twoStep);
        return Http.Json(new { PublishId = run.Id });
    }

    private static IResult Refused(string message, string detail) =>
        Http.Json(new { PublishId = 0, Messages = new[] { new { REST_PublicationMessage = new { Message = message, Detail = detail } } } });

    private static bool BasicCredentials(HttpRequest request, out string user, out string password)
    {
        user = password = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':');
            if (colon < 0) return false;
            user = text[..colon];
            password = text[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Authenticate(SandboxState state, string user, string password) =>
        string.Equals(user, state.Options.ServiceCenterUser, StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(state.Options.ServiceCenterPassword!));

    private static IResult Xml(string xml, int status = 200) => Results.Text(xml, ContentType, Encoding.UTF8, status);
}
