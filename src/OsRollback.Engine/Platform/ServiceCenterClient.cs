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

    public async Task<IReadOnlyList<ServiceCenterModule>> GetModulesAsync(CancellationToken cancellationToken = default)
    {
        var (response, operation) = await CallAsync(ServiceCenterSoapWire.ModulesGet, true, "listing modules", null, cancellationToken).ConfigureAwait(false);
        return ServiceCenterSoapWire.ReadModules(response, operation);
    }

    public async Task<ServiceCenterModuleVersions> GetModuleVersionsAsync(string moduleKey, CancellationToken cancellationToken = default)
    {
        var what = $"listing the versions of module {moduleKey}";
        var (response, operation) = await CallAsync(ServiceCenterSoapWire.ModuleGetVersions, true, what, moduleKey, cancellationToken, moduleKey).ConfigureAwait(false);
        var (code, message) = ServiceCenterSoapWire.ModuleVersionsError(response, operation);
        if (code != 0)
        {
            throw new OsRollbackException("ServiceCenterError", OsErrorCategory.InvalidOperation,
                $"Service Center at {Connection.Host} failed {what} (error {code}): {_http.Redact(message)}", moduleKey,
                "Check the module key (Get-OsModule) and the user's permissions in Service Center.");
        }
        return ServiceCenterSoapWire.ReadModuleVersions(response, operation, moduleKey);
    }

    /// <summary>
    /// Uploads a solution pack (.osp/.oap) and starts publishing it; returns the publish id. Sent once.
    /// Service Center answers publish id 0 when it refuses the pack: its messages say why.
    /// </summary>
    public async Task<long> PublishSolutionPackAsync(byte[] solutionPack, bool twoStepMode, CancellationToken cancellationToken = default)
    {
        var (response, operation) = await CallAsync(ServiceCenterSoapWire.PublishWith2StepOption, false, "publishing a solution pack", null, cancellationToken,
            Convert.ToBase64String(solutionPack), ServiceCenterSoapWire.Bool(twoStepMode)).ConfigureAwait(false);
        var (publishId, messages) = ServiceCenterSoapWire.ReadPublish(response, operation);
        if (publishId != 0) return publishId;
        var reasons = messages.Count == 0 ? "no reason given" : string.Join("; ", messages.Select(m => m.Detail is { Length: > 0 } d ? $"{m.Message} ({d})" : m.Message));
        throw new OsRollbackException("ServiceCenterPublishRejected", OsErrorCategory.InvalidData,
            $"Service Center at {Connection.Host} refused the solution pack: {_http.Redact(reasons)}", null,
            "Nothing was published. Fix what the messages say (a damaged or foreign package, missing references) and publish again.");
    }

    /// <summary>Messages after <paramref name="afterMessageId"/> and whether the publication finished (a read; retried).</summary>
    public async Task<PublishMessagesPage> GetPublishMessagesAsync(long publishId, long afterMessageId, CancellationToken cancellationToken = default)
    {
        var (response, operation) = await CallAsync(ServiceCenterSoapWire.GetPublishMessages, true, $"reading the messages of publication {publishId}", publishId, cancellationToken,
            ServiceCenterSoapWire.Int(publishId), ServiceCenterSoapWire.Int(afterMessageId)).ConfigureAwait(false);
        return ServiceCenterSoapWire.ReadMessages(response, operation);
    }

    public Task ContinuePublishAsync(long publishId, CancellationToken cancellationToken = default) =>
        CallAsync(ServiceCenterSoapWire.PublishContinue, false, $"continuing publication {publishId}", publishId, cancellationToken, ServiceCenterSoapWire.Int(publishId));

    public Task AbortPublishAsync(long publishId, CancellationToken cancellationToken = default) =>
        CallAsync(ServiceCenterSoapWire.PublishAbort, false, $"aborting publication {publishId}", publishId, cancellationToken, ServiceCenterSoapWire.Int(publishId));

    /// <summary>The PlatformServices contract from the service's WSDL, read once per connection.</summary>
    public async Task<ServiceCenterWsdl> GetContractAsync(CancellationToken cancellationToken = default)
    {
        if (Connection.Contract is { } known) return known;
        using var response = await _http.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Get, _http.Resolve(ServiceCenterSoapWire.Path + ServiceCenterWsdl.WsdlQuery)),
            true, "reading the PlatformServices WSDL", Connection.Host, cancellationToken).ConfigureAwait(false);
        var contract = ServiceCenterWsdl.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        Connection.Contract = contract;
        return contract;
    }

    /// <summary>Publishes modules in one staging (REST, Basic authentication); returns the publish id. Sent once.</summary>
    public async Task<long> PublishModulesAsync(string stagingName, IEnumerable<ServiceCenterModule> modules, bool twoStepMode = false, CancellationToken cancellationToken = default)
    {
        var body = ServiceCenterSoapWire.StagingBody(modules);
        using var response = await _http.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Post, _http.Resolve(ServiceCenterSoapWire.StagingPath + ServiceCenterSoapWire.StagingQuery(stagingName, twoStepMode)))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, false, $"publishing staging {stagingName}", stagingName, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var id = StagingAnswer.PublishId(text, stagingName);
        if (id != 0) return id;
        var reasons = StagingAnswer.Messages(text);
        throw new OsRollbackException("ServiceCenterPublishRejected", OsErrorCategory.InvalidOperation,
            $"Service Center refused staging {stagingName} (publishId 0)" + (reasons.Count > 0 ? ": " + _http.Redact(string.Join("; ", reasons)) : ", and gave no reason."), stagingName,
            "Read Service Center's messages above (Service Center > Factory > Solutions and the error log), fix the cause, and publish again; nothing of this staging was published.");
    }

    private async Task<(XElement Response, ServiceCenterOperation Operation)> CallAsync(string method, bool idempotent, string what, object? target, CancellationToken cancellationToken, params string[] arguments)
    {
        var operation = (await GetContractAsync(cancellationToken).ConfigureAwait(false)).Operation(method);
        var uri = _http.Resolve(ServiceCenterSoapWire.Path);
        using var response = await _http.SendAsync(() =>
        {
            var envelope = SecretText.Use(Connection.Password, password => ServiceCenterSoapWire.BuildEnvelope(operation, Connection.UserName, password, arguments));
            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = ServiceCenterSoapWire.Content(envelope, operation) };
        }, idempotent, cancellationToken).ConfigureAwait(false);
        var xml = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var element = ServiceCenterSoapWire.ResponseElement(xml, operation);
        if (element is not null) return (element, operation);
        var fault = ServiceCenterSoapWire.FaultText(xml);
        if (fault is not null && LooksLikeLogin(fault))
        {
            throw new OsRollbackException("ServiceCenterLoginRejected", OsErrorCategory.AuthenticationError,
                $"Service Center at {Connection.Host} rejected user '{Connection.UserName}' for {what}: {_http.Redact(fault)}", Connection.Host,
                "Check the user name, and give the password in OutSystems' platform-hashed form ('#' followed by the hash), then run Connect-OsServiceCenter again.");
        }
        if (fault is not null || !response.IsSuccessStatusCode && xml.TrimStart().StartsWith('<'))
        {
            throw new OsRollbackException("ServiceCenterFault", OsErrorCategory.InvalidOperation,
                $"Service Center at {Connection.Host} failed {what} (HTTP {(int)response.StatusCode}): {_http.Redact(fault ?? "SOAP fault")}", target,
                "Check the Service Center error log (Monitoring > Errors) and the platform version.");
        }
        if (!response.IsSuccessStatusCode) throw await _http.ToExceptionAsync(response, what, target, cancellationToken).ConfigureAwait(false);
        throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult,
            $"Service Center at {Connection.Host} answered {what} with no {operation.Response.LocalName}.", target, "Check that the address points at the environment's server.");
    }

    // Methods other than Module_GetVersions have no error code: a refused login comes back as a
    // SOAP fault, recognised by its text (unverified wording; see docs/platform.md).
    private static readonly string[] LoginWords = ["password", "login", "credential", "username", "authenticat"];

    private static bool LooksLikeLogin(string fault) =>
        LoginWords.Any(w => fault.Contains(w, StringComparison.OrdinalIgnoreCase));

    public void Dispose() => _http.Dispose();
}
