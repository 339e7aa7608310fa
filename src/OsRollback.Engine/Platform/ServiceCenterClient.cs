using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Platform;

/// <summary>A module as Service Center lists it.</summary>
public sealed class ServiceCenterModule
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>eSpace or Extension.</summary>
    public string Kind { get; set; } = "eSpace";
    public int? PublishedVersion { get; set; }
    /// <summary>The version to publish through staging; null republishes the published one.</summary>
    public int? Version { get; set; }
    public override string ToString() => Name;
}

public sealed class ServiceCenterModuleVersion
{
    public int Version { get; set; }
    public DateTimeOffset? CreatedOn { get; set; }
    public string? Hash { get; set; }
}

public sealed class ServiceCenterModuleVersions
{
    public string ModuleKey { get; set; } = "";
    public int? PublishedVersion { get; set; }
    public List<ServiceCenterModuleVersion> Versions { get; set; } = new();
}

/// <summary>One message of a Service Center publication.</summary>
public sealed class PublishMessage
{
    public long Id { get; set; }
    /// <summary>Info, Warning or Error.</summary>
    public string Type { get; set; } = "Info";
    public string Message { get; set; } = "";
    public string? Detail { get; set; }
    public override string ToString() => $"{Type}: {Message}";
}

/// <summary>The messages after a given id, and whether the publication finished.</summary>
public sealed class PublishMessagesPage
{
    public List<PublishMessage> Messages { get; set; } = new();
    public long LastMessageId { get; set; }
    public bool Finished { get; set; }
    /// <summary>running, needs_user_intervention, finished_successful, finished_with_warnings, finished_with_errors, aborted.</summary>
    public string? Status { get; set; }
}

/// <summary>
/// Service Center of one environment (undocumented services; see <see cref="ServiceCenterSoapWire"/>):
/// modules, module versions, solution-pack publication with the two-step option, publication
/// messages, continue and abort, and module publication through the staging REST call.
/// The password is sent as given: it must already be in OutSystems' platform-hashed form.
/// Reads are retried on transient faults; publish, continue and abort are sent once.
/// </summary>
public sealed class ServiceCenterClient : IDisposable
{
    public const string ServiceName = "Service Center";
    private readonly PlatformHttpClient _http;

    public ServiceCenterClient(ServiceCenterConnection connection)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _http = new PlatformHttpClient(connection.Uri, connection.Options, ServiceName, connection.Password, request =>
        {
            // Only the staging REST call uses Basic authentication; SOAP carries the credentials in the body.
            if (request.RequestUri?.AbsolutePath.Contains("/rest/", StringComparison.OrdinalIgnoreCase) == true)
            {
                request.Headers.Authorization = SecretText.Use(connection.Password, password =>
                    new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(connection.UserName + ":" + password))));
            }
        });
    }

    public ServiceCenterConnection Connection { get; }
    public PlatformHttpOptions Options => Connection.Options;
    public int RequestCount => _http.RequestCount;

    public async Task<IReadOnlyList<ServiceCenterModule>> GetModulesAsync(CancellationToken cancellationToken = default) =>
        ServiceCenterSoapWire.ReadModules(await CallAsync(ServiceCenterSoapWire.ModulesGet, true, "listing modules", null, cancellationToken).ConfigureAwait(false));

    public async Task<ServiceCenterModuleVersions> GetModuleVersionsAsync(string moduleKey, CancellationToken cancellationToken = default) =>
        ServiceCenterSoapWire.ReadModuleVersions(await CallAsync(ServiceCenterSoapWire.ModuleGetVersions, true, $"listing the versions of module {moduleKey}", moduleKey, cancellationToken,
            ("moduleKey", moduleKey)).ConfigureAwait(false), moduleKey);

    /// <summary>Uploads a solution pack (.osp/.oap) and starts publishing it; returns the publish id. Sent once.</summary>
    public async Task<long> PublishSolutionPackAsync(byte[] solutionPack, bool twoStepMode, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(ServiceCenterSoapWire.PublishWith2StepOption, false, "publishing a solution pack", null, cancellationToken,
            ("solutionPack", Convert.ToBase64String(solutionPack)), ("twoStepMode", ServiceCenterSoapWire.Bool(twoStepMode))).ConfigureAwait(false);
        return ServiceCenterSoapWire.ReadPublishId(response);
    }

    /// <summary>Messages after <paramref name="afterMessageId"/> and whether the publication finished (a read; retried).</summary>
    public async Task<PublishMessagesPage> GetPublishMessagesAsync(long publishId, long afterMessageId, CancellationToken cancellationToken = default) =>
        ServiceCenterSoapWire.ReadMessages(await CallAsync(ServiceCenterSoapWire.GetPublishMessages, true, $"reading the messages of publication {publishId}", publishId, cancellationToken,
            ("publishId", ServiceCenterSoapWire.Int(publishId)), ("afterMessageId", ServiceCenterSoapWire.Int(afterMessageId))).ConfigureAwait(false));

    public Task ContinuePublishAsync(long publishId, CancellationToken cancellationToken = default) =>
        CallAsync(ServiceCenterSoapWire.PublishContinue, false, $"continuing publication {publishId}", publishId, cancellationToken, ("publishId", ServiceCenterSoapWire.Int(publishId)));

    public Task AbortPublishAsync(long publishId, CancellationToken cancellationToken = default) =>
        CallAsync(ServiceCenterSoapWire.PublishAbort, false, $"aborting publication {publishId}", publishId, cancellationToken, ("publishId", ServiceCenterSoapWire.Int(publishId)));

    /// <summary>Publishes modules in one staging (REST, Basic authentication); returns the publish id. Sent once.</summary>
    public async Task<long> PublishModulesAsync(string stagingName, IEnumerable<ServiceCenterModule> modules, bool twoStepMode = false, CancellationToken cancellationToken = default)
    {
        var body = ServiceCenterSoapWire.StagingBody(modules);
        using var response = await _http.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Post, _http.Resolve(ServiceCenterSoapWire.StagingPath + ServiceCenterSoapWire.StagingQuery(stagingName, twoStepMode)))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, false, $"publishing staging {stagingName}", stagingName, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return long.TryParse(LifeTimeClient.ReadKey(text, "PublishId"), out var id) ? id
            : throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult, "Service Center did not answer the staging publication with a publish id.", stagingName, "Check the publication in Service Center.");
    }

    private async Task<XElement> CallAsync(string method, bool idempotent, string what, object? target, CancellationToken cancellationToken, params (string Name, string Value)[] arguments)
    {
        var uri = _http.Resolve(ServiceCenterSoapWire.Path);
        using var response = await _http.SendAsync(() =>
        {
            var envelope = SecretText.Use(Connection.Password, password => ServiceCenterSoapWire.BuildEnvelope(method, Connection.UserName, password, arguments));
            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = ServiceCenterSoapWire.Content(envelope, method) };
        }, idempotent, cancellationToken).ConfigureAwait(false);
        var xml = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var element = ServiceCenterSoapWire.ResponseElement(xml, method);
        if (element is null)
        {
            var fault = ServiceCenterSoapWire.FaultText(xml);
            if (fault is not null || !response.IsSuccessStatusCode && xml.TrimStart().StartsWith('<'))
            {
                throw new OsRollbackException("ServiceCenterFault", OsErrorCategory.InvalidOperation,
                    $"Service Center at {Connection.Host} failed {what} (HTTP {(int)response.StatusCode}): {_http.Redact(fault ?? "SOAP fault")}", target,
                    "Check the Service Center error log (Monitoring > Errors) and the platform version.");
            }
            if (!response.IsSuccessStatusCode) throw await _http.ToExceptionAsync(response, what, target, cancellationToken).ConfigureAwait(false);
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult,
                $"Service Center at {Connection.Host} answered {what} with no {method}Response.", target, "Check that the address points at the environment's server.");
        }
        var code = ServiceCenterSoapWire.ErrorCode(element);
        if (code == 1)
        {
            throw new OsRollbackException("ServiceCenterLoginRejected", OsErrorCategory.AuthenticationError,
                $"Service Center at {Connection.Host} rejected user '{Connection.UserName}' for {what}: {_http.Redact(ServiceCenterSoapWire.ErrorMessage(element))}", Connection.Host,
                "Check the user name, and give the password in OutSystems' platform-hashed form ('#' followed by the hash), then run Connect-OsServiceCenter again.");
        }
        if (code != 0)
        {
            throw new OsRollbackException("ServiceCenterError", OsErrorCategory.InvalidOperation,
                $"Service Center at {Connection.Host} failed {what} (error {code}): {_http.Redact(ServiceCenterSoapWire.ErrorMessage(element))}", target,
                "Read the message; check the publication in Service Center.");
        }
        return element;
    }

    public void Dispose() => _http.Dispose();
}
