using System.Text.RegularExpressions;

namespace OsRollback.Engine.Tests.Platform.Contract;

/// <summary>The JSON shape of a documented answer.</summary>
public enum Shape { None, JsonArray, JsonObject, PlainText }

/// <summary>
/// One LifeTime API v2 operation that OsRollback calls, as the Swagger documents it. Facts, not a
/// copy: the operationId, the path exactly as written there (trailing slash or not), the query
/// parameters marked required, the documented status codes, the shape of the success answer and
/// the fields of its definition OsRollback relies on. <see cref="Source"/> says where to read it.
/// <see cref="AlsoAccepted"/> lists what the official client (outsystems-pipeline) shows a real
/// server answers where it differs from the Swagger; the client accepts both, the sandbox serves either.
/// </summary>
public sealed record LifeTimeOperation(
    string OperationId,
    string Method,
    string Path,
    string[] RequiredQuery,
    int[] Statuses,
    Shape SuccessShape,
    string[] SuccessFields,
    string[] RequiredBodyFields,
    string Source,
    (int Status, Shape Shape, string Source)[]? AlsoAccepted = null)
{
    private Regex Pattern => new("^" + Regex.Replace(Regex.Escape(Path), @"\\\{[A-Za-z]+}", "[^/]+") + "$", RegexOptions.IgnoreCase);

    /// <summary>True when <paramref name="path"/> (below the API base) is this operation's path, trailing slash included.</summary>
    public bool Matches(string method, string path) => string.Equals(method, Method, StringComparison.OrdinalIgnoreCase) && Pattern.IsMatch(path);
}

/// <summary>
/// Every LifeTime operation OsRollback calls. SW = OutSystems/docs-product
/// src/ref/apis/auto/resources/lifetime-api.json (the LifeTime API v2 Swagger), cited as
/// "SW paths[path].verb" and "SW definitions.Name"; PL = OutSystems/outsystems-pipeline.
/// </summary>
public static class LifeTimeOperations
{
    public const string Base = "/lifetimeapi/rest/v2";

    public static readonly LifeTimeOperation[] All =
    [
        new("Environments_List", "GET", "/environments/", [], [200, 204, 500], Shape.JsonArray,
            ["Key", "Name", "OSVersion", "Order", "HostName", "UseHTTPS", "EnvironmentType", "NumberOfFrontEnds", "DatabaseProvider", "IsCloudEnvironment"], [],
            "SW paths[/environments/].get; definitions.Environment"),
        new("Environments_GetRunningApps", "GET", "/environments/{EnvironmentKey}/applications/", [], [200, 204, 400, 403, 404], Shape.JsonArray,
            ["Key", "Name", "Kind", "AppStatusInEnvs"], [],
            "SW paths[/environments/{EnvironmentKey}/applications/].get; definitions.Application, AppStatusInEnv_v2"),
        new("Environments_SetMaintenanceMode", "PUT", "/environments/{EnvironmentKey}/maintenancemode", [], [200, 400, 403, 404, 500], Shape.None,
            [], ["IsMaintenanceModeEnabled", "Reason"],
            "SW paths[/environments/{EnvironmentKey}/maintenancemode].put; definitions.MaintenanceModeSetting"),
        new("Deployments_CreateWithBinary", "POST", "/environments/{EnvironmentKey}/deployment/", [], [201, 400, 403, 404, 500], Shape.JsonObject,
            ["DeploymentKey"], [],
            "SW paths[/environments/{EnvironmentKey}/deployment/].post (produces text/plain, 201 DeploymentResponse)",
            [(201, Shape.PlainText, "PL lifetime_base.py send_binary_post_request reads a plain-text key")]),
        new("Environments_Applications_Versions_Create", "POST", "/environments/{EnvironmentKey}/applications/{ApplicationKey}/versions/", [], [201, 400, 403, 404, 500], Shape.JsonObject,
            ["ApplicationVersionKey"], [],
            "SW paths[/environments/{EnvironmentKey}/applications/{ApplicationKey}/versions/].post; definitions.TextRecord, ApplicationVersionCreate"),
        new("Environments_SolutionCreate", "POST", "/environments/{EnvironmentKey}/solution", [], [200, 400, 404, 405, 500], Shape.PlainText,
            [], ["ApplicationKeys"],
            "SW paths[/environments/{EnvironmentKey}/solution].post; definitions.Solution_Request_POST"),
        new("Environments_SolutionStatus", "GET", "/environments/{EnvironmentKey}/solutionstatus/{SolutionKey}", [], [200, 400, 404, 405, 500], Shape.JsonArray,
            ["Status", "StatusReason"], [],
            "SW paths[/environments/{EnvironmentKey}/solutionstatus/{SolutionKey}].get; definitions.SolutionStatus",
            [(200, Shape.JsonObject, "PL lifetime_solutions.py get_solution_status returns the object it reads")]),
        new("Environments_SolutionDownload", "GET", "/environments/{EnvironmentKey}/solution/{SolutionKey}", [], [200, 400, 404, 405, 500], Shape.JsonArray,
            ["Url", "ExpiresAt"], [],
            "SW paths[/environments/{EnvironmentKey}/solution/{SolutionKey}].get; definitions.DownloadSolutionLink; PL reads 400 before Completed",
            [(200, Shape.JsonObject, "PL lifetime_solutions.py get_solution_url reads response[\"url\"]")]),
        new("Applications_List", "GET", "/applications/", [], [200, 204, 400, 500], Shape.JsonArray,
            ["Key", "Name", "Kind"], [],
            "SW paths[/applications/].get; definitions.Application"),
        new("Applications_Versions_List", "GET", "/applications/{ApplicationKey}/versions/", [], [200, 400, 403, 404, 500], Shape.JsonArray,
            ["Key", "ApplicationKey", "Version", "CreatedOn", "ModuleVersions"], [],
            "SW paths[/applications/{ApplicationKey}/versions/].get; definitions.ApplicationVersion_v2"),
        new("Applications_Versions_Get", "GET", "/applications/{ApplicationKey}/versions/{VersionKey}/", ["IncludeModules"], [200, 403, 404, 500], Shape.JsonObject,
            ["Key", "ApplicationKey", "Version", "ModuleVersions"], [],
            "SW paths[/applications/{ApplicationKey}/versions/{VersionKey}/].get (IncludeModules required); definitions.ApplicationVersion_v2"),
        new("Applications_Versions_Download", "GET", "/applications/{ApplicationKey}/versions/{VersionKey}/content/", [], [200, 204, 400, 403, 404, 500], Shape.JsonObject,
            ["url", "expires"], [],
            "SW paths[/applications/{ApplicationKey}/versions/{VersionKey}/content/].get; definitions.DownloadLink"),
        new("Modules_List", "GET", "/modules/", [], [200, 204, 500], Shape.JsonArray,
            ["Key", "Name", "Kind"], [],
            "SW paths[/modules/].get; definitions.Module"),
        new("ModuleVersions_List", "GET", "/modules/{ModuleKey}/versions/", [], [200, 400, 403, 404, 500], Shape.JsonArray,
            ["Key", "ModuleKey", "CreatedOn", "GeneralHash"], [],
            "SW paths[/modules/{ModuleKey}/versions/].get; definitions.ModuleVersion_v2"),
        new("ModuleVersion_Get", "GET", "/modules/{ModuleKey}/versions/{ModuleVersionKey}/", [], [200, 403, 404, 500], Shape.JsonObject,
            ["Key", "ModuleKey", "GeneralHash"], [],
            "SW paths[/modules/{ModuleKey}/versions/{ModuleVersionKey}/].get; definitions.ModuleVersion_v2"),
        new("Deployments_List", "GET", "/deployments/", [], [200, 204, 400, 403, 500], Shape.JsonArray,
            ["Key", "SourceEnvironmentKey", "TargetEnvironmentKey", "CreatedOn", "StartedOn", "AbortedOn", "ApplicationOperations"], [],
            "SW paths[/deployments/].get (MinDate/MaxDate format date); definitions.Deployment_v2"),
        new("Deployments_Create", "POST", "/deployments/", [], [200, 400, 403, 404, 500], Shape.PlainText,
            [], ["Notes", "SourceEnvironmentKey", "TargetEnvironmentKey", "ApplicationOperations"],
            "SW paths[/deployments/].post (produces text/plain); definitions.ApplicationVersionKeyDeploymentZoneKeyRecordListTextTextTextRecord, TextTextRecord",
            [(201, Shape.PlainText, "PL lifetime_vars.py DEPLOYMENT_SUCCESS_CODE = 201; lifetime_base.py reads the key as plain text")]),
        new("Deployments_Get", "GET", "/deployments/{DeploymentKey}/", [], [200, 403, 404, 500], Shape.JsonObject,
            ["Deployment", "ApplicationsToDeploy", "ApplicationsToRedeploy", "ApplicationConflicts", "ModulesToDelete"], [],
            "SW paths[/deployments/{DeploymentKey}/].get; definitions.ApplicationConflictListTextListDeployment_v2Record"),
        new("Deployments_Delete", "DELETE", "/deployments/{DeploymentKey}/", [], [204, 400, 403, 404, 500], Shape.None,
            [], [],
            "SW paths[/deployments/{DeploymentKey}/].delete (only saved plans)"),
        new("Deployments_ExecuteCommand", "POST", "/deployments/{DeploymentKey}/{Command}/", [], [202, 400, 403, 404, 500], Shape.None,
            [], [],
            "SW paths[/deployments/{DeploymentKey}/{Command}/].post (start, continue, abort; RedeployOutdated, IncludeErrorDetails)"),
        new("Deployments_GetStatus", "GET", "/deployments/{DeploymentKey}/status/", [], [200, 403, 404, 500], Shape.JsonObject,
            ["DeploymentStatus", "Info", "DeploymentLog"], [],
            "SW paths[/deployments/{DeploymentKey}/status/].get; definitions.DeploymentMessageListTextTextRecord (all three required)"),
    ];

    /// <summary>The operation a request goes to, or null (for example a download link LifeTime handed out, which is no API operation).</summary>
    public static LifeTimeOperation? Find(string method, string absolutePath)
    {
        if (!absolutePath.StartsWith(Base, StringComparison.OrdinalIgnoreCase)) return null;
        var path = absolutePath[Base.Length..];
        // A literal segment wins over a parameter ("/deployments/{k}/status/" before "/deployments/{k}/{Command}/").
        return All.Where(o => o.Matches(method, path)).MinBy(o => o.Path.Count(c => c == '{'));
    }
}
