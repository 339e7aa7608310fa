using System.Text.Json;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;

namespace OsRollback.Engine.Tests.Platform.Contract;

/// <summary>
/// The judge of the LifeTime wire: the client drives every operation of <see cref="LifeTimeOperations"/>
/// against the sandbox over HTTP, and every request it sends and every answer the sandbox serves to
/// it are held against the Swagger's facts (path as written, required query and body fields,
/// documented status, answer shape and fields), or against the official client's evidence where
/// the two sources disagree.
/// </summary>
public sealed class SwaggerContractTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly List<SandboxHost> _sandboxes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var sandbox in _sandboxes) await sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<(LifeTimeClient Client, RecordingHandler Wire)> StartAsync(string name, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { DataDirectory = _temp.File(name), Pace = TimeSpan.FromMilliseconds(5), Token = "contract-TOKEN-1234567", ServiceCenterPassword = "#contract-PASSWORD-1" };
        configure?.Invoke(options);
        var sandbox = await SandboxHost.StartAsync(options);
        _sandboxes.Add(sandbox);
        var wire = new RecordingHandler();
        var client = new LifeTimeClient(new LifeTimeConnection(sandbox.Url, SecretText.FromPlainText(sandbox.Token), new PlatformHttpOptions
        {
            Handler = wire, MaxRetries = 0,
            Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMinutes(2) },
        }));
        return (client, wire);
    }

    /// <summary>Every LifeTime operation OsRollback uses, the way its cmdlets and runbook steps use them.</summary>
    private async Task DriveEveryOperationAsync(LifeTimeClient lt)
    {
        var quality = await lt.ResolveEnvironmentAsync("Quality");
        var production = await lt.ResolveEnvironmentAsync("Production");
        await lt.GetApplicationsAsync(includeEnvStatus: true, includeModules: true);
        await lt.GetEnvironmentApplicationsAsync(production.Key, includeModules: true);
        var orders = await lt.ResolveApplicationAsync("Orders");
        var previous = (await lt.GetApplicationVersionsAsync(orders.Key)).Single(v => v.Version == "1.0.0");
        Assert.NotNull(await lt.GetApplicationVersionAsync(orders.Key, previous.Key));
        await lt.DownloadApplicationVersionAsync(orders.Key, previous.Key, _temp.File($"{Guid.NewGuid():N}.oap"));
        var module = (await lt.GetModulesAsync())[0];
        var moduleVersion = (await lt.GetModuleVersionsAsync(module.Key))[0];
        Assert.NotNull(await lt.GetModuleVersionAsync(module.Key, moduleVersion.Key));
        var package = await lt.BuildAndDownloadSolutionAsync(quality.Key, "contract", [orders.Key], _temp.File($"{Guid.NewGuid():N}.osp"));

        var saved = await lt.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            Notes = "contract", SourceEnvironmentKey = quality.Key, TargetEnvironmentKey = production.Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = previous.Key }],
        });
        await lt.GetDeploymentAsync(saved);
        await lt.DeleteDeploymentAsync(saved);

        var deployed = await new ApplicationDeployer(lt).DeployAsync("Quality", "Production", [previous.Key]);
        Assert.True(deployed.Succeeded, deployed.DeploymentStatus);
        await lt.GetDeploymentsWithStatusAsync(targetEnvironmentKey: production.Key);
        await lt.SetMaintenanceModeAsync(production.Key, true, "contract");
        await lt.SetMaintenanceModeAsync(production.Key, false, "contract");
        await lt.CreateApplicationVersionAsync(production.Key, orders.Key, "9.9.9", "contract");
        var binary = await SolutionPublisher.PublishAsync(lt, "Production", package);
        Assert.True(binary.Succeeded, binary.Status);
    }

    [Fact]
    public async Task Every_request_the_client_sends_and_every_answer_the_sandbox_serves_holds_to_the_Swagger()
    {
        var (client, wire) = await StartAsync("default");
        using (client) await DriveEveryOperationAsync(client);

        var exchanges = wire.Exchanges.ToList();
        AssertContract(exchanges);
        var used = exchanges.Select(e => LifeTimeOperations.Find(e.Method, e.Uri.AbsolutePath)?.OperationId).OfType<string>().ToHashSet();
        Assert.Equal(LifeTimeOperations.All.Select(o => o.OperationId).Order(), used.Order()); // the table is exactly what OsRollback calls
    }

    [Fact]
    public async Task Where_the_Swagger_and_the_official_client_disagree_the_client_takes_either_answer()
    {
        // The Swagger's 200 on POST /deployments/ and its arrays for the solution status and link (the default plays the official client: 201, objects).
        var (client, wire) = await StartAsync("other-dialect", o => { o.PlanCreatedStatusCode = 200; o.SolutionAnswersAsArrays = true; });
        using (client) await DriveEveryOperationAsync(client);

        var exchanges = wire.Exchanges.ToList();
        AssertContract(exchanges);
        Assert.Contains(exchanges, e => e.Method == "POST" && e.Uri.AbsolutePath.EndsWith("/deployments/", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains(exchanges, e => e.Uri.AbsolutePath.Contains("/solutionstatus/") && e.ResponseBody.TrimStart().StartsWith('['));
    }

    private static void AssertContract(IReadOnlyList<Exchange> exchanges)
    {
        Assert.NotEmpty(exchanges);
        foreach (var exchange in exchanges)
        {
            var operation = LifeTimeOperations.Find(exchange.Method, exchange.Uri.AbsolutePath);
            if (operation is null)
            {
                // Only a download link that LifeTime handed out in an earlier answer is no API operation.
                Assert.Equal("GET", exchange.Method);
                Assert.Contains(exchanges, e => e.ResponseBody.Contains(exchange.Uri.AbsoluteUri, StringComparison.Ordinal));
                continue;
            }
            var label = $"{exchange.Method} {exchange.Uri.PathAndQuery} ({operation.OperationId}, {operation.Source})";
            var query = System.Web.HttpUtility.ParseQueryString(exchange.Uri.Query);
            foreach (var required in operation.RequiredQuery) Assert.True(query[required] is { Length: > 0 }, $"{label}: query {required} is required");
            AssertRequestBody(operation, exchange, label);
            AssertAnswer(operation, exchange, label);
        }
    }

    private static void AssertRequestBody(LifeTimeOperation operation, Exchange exchange, string label)
    {
        if (operation.RequiredBodyFields.Length == 0) return;
        using var body = JsonDocument.Parse(exchange.RequestBody);
        foreach (var field in operation.RequiredBodyFields) Assert.True(body.RootElement.TryGetProperty(field, out _), $"{label}: body field {field} is required");
        if (operation.OperationId == "Deployments_Create")
        {
            foreach (var item in body.RootElement.GetProperty("ApplicationOperations").EnumerateArray())
            {
                // TextTextRecord: both required, strings ("" for the application's own zone, never null).
                Assert.Equal(JsonValueKind.String, item.GetProperty("ApplicationVersionKey").ValueKind);
                Assert.Equal(JsonValueKind.String, item.GetProperty("DeploymentZoneKey").ValueKind);
            }
        }
    }

    private static void AssertAnswer(LifeTimeOperation operation, Exchange exchange, string label)
    {
        var alternative = operation.AlsoAccepted?.FirstOrDefault(a => a.Status == exchange.Status && a.Shape == ShapeOf(exchange));
        Assert.True(operation.Statuses.Contains(exchange.Status) || alternative is { Status: > 0 }, $"{label}: HTTP {exchange.Status} is not documented");
        if (exchange.Status is < 200 or > 299 || exchange.Status == 204) return;
        var shape = ShapeOf(exchange);
        Assert.True(shape == operation.SuccessShape || alternative is { Status: > 0 } || operation.AlsoAccepted?.Any(a => a.Shape == shape) == true,
            $"{label}: answered {shape}, documented {operation.SuccessShape}");
        if (shape is Shape.JsonArray or Shape.JsonObject && operation.SuccessFields.Length > 0) AssertFields(operation, exchange, shape, label);
    }

    private static void AssertFields(LifeTimeOperation operation, Exchange exchange, Shape shape, string label)
    {
        using var doc = JsonDocument.Parse(exchange.ResponseBody);
        var items = shape == Shape.JsonArray ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
        // Where the shapes disagree (an object where the Swagger has an array) the official client's field names hold: compare case-insensitively.
        foreach (var item in items)
            foreach (var field in operation.SuccessFields.Where(f => shape == operation.SuccessShape || !f.Equals("ExpiresAt", StringComparison.Ordinal)))
                Assert.True(item.EnumerateObject().Any(p => p.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), $"{label}: answer field {field} is missing");
    }

    private static Shape ShapeOf(Exchange exchange)
    {
        var text = exchange.ResponseBody.Trim();
        if (text.Length == 0) return Shape.None;
        if (exchange.ResponseContentType == "application/json" && text.StartsWith('[')) return Shape.JsonArray;
        if (exchange.ResponseContentType == "application/json" && text.StartsWith('{')) return Shape.JsonObject;
        return Shape.PlainText;
    }
}
