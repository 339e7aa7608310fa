using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Tests;

/// <summary>Starts a sandbox on a scratch folder (a fake clock unless told otherwise) and offers small HTTP helpers.</summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    public const string LifeTime = "lifetimeapi/rest/v2/";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "osrollback-sandbox-" + Guid.NewGuid().ToString("N"));

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    protected SandboxHost Sandbox { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;
    protected Catalog Catalog => Sandbox.Catalog;
    protected string DataDirectory => _directory;

    protected virtual void Configure(SandboxOptions options) { }

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { DataDirectory = _directory, Pace = TimeSpan.FromSeconds(1), TimeProvider = Clock, Token = "test-token-1234", ServiceCenterPassword = "sc-password" };
        Configure(options);
        Sandbox = await SandboxHost.StartAsync(options);
        Client = Sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    protected EnvironmentDef Env(string name) => Catalog.Environments.Single(e => e.Name == name);
    protected AppDef App(string name) => Catalog.Apps.Single(a => a.Name == name);
    protected AppVersionDef Tag(string app, string tag) => App(app).Versions.Single(v => v.Tag == tag);

    protected async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Get(string path, HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync(path);
        return (response.StatusCode, await Json(response), response);
    }

    protected async Task<(HttpStatusCode Status, string Text)> Send(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    protected static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a plan; returns its key.</summary>
    protected async Task<string> CreatePlan(string source, string target, params AppVersionDef[] versions)
    {
        var (status, text) = await Send(HttpMethod.Post, LifeTime + "deployments/", new
        {
            Notes = "test",
            SourceEnvironmentKey = Env(source).Key,
            TargetEnvironmentKey = Env(target).Key,
            ApplicationOperations = versions.Select(v => new { ApplicationVersionKey = v.Key, DeploymentZoneKey = "" }).ToArray(),
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return text.Trim();
    }

    protected async Task<JsonElement> Status(string deploymentKey)
    {
        var (code, body, _) = await Get(LifeTime + $"deployments/{deploymentKey}/status/");
        Assert.Equal(HttpStatusCode.OK, code);
        return body;
    }

    protected async Task<string> RunningTag(string environment, string app)
    {
        var (_, body, _) = await Get(LifeTime + $"environments/{Env(environment).Key}/applications/?IncludeEnvStatus=true");
        return body.EnumerateArray().Single(a => a.GetProperty("Name").GetString() == app)
            .GetProperty("AppStatusInEnvs")[0].GetProperty("BaseApplicationVersionLabel").GetString()!;
    }

    protected object? Scalar(string environment, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Sandbox.PlatformDatabases[environment]};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    protected async Task<HttpStatusCode> Page(string environment, string urlPath)
    {
        using var client = new HttpClient();
        var response = await client.GetAsync($"{Sandbox.Url}/{environment}/{urlPath}/");
        return response.StatusCode;
    }

    protected static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
