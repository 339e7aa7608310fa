using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Sandbox;

/// <summary>
/// How to start the sandbox process: a child pwsh (the same one as the caller's) that loads
/// OsRollback.Sandbox.dll with the module's dependencies/ folder, so nothing beyond pwsh's own
/// .NET runtime is needed.
/// </summary>
public sealed class SandboxLaunchOptions
{
    /// <summary>Path of OsRollback.Sandbox.dll (the module's sandbox/ folder).</summary>
    public required string SandboxAssemblyPath { get; init; }
    public required string DataDirectory { get; init; }
    public int Port { get; init; }
    public int PaceMilliseconds { get; init; } = 200;
    public int PublishLatencyMilliseconds { get; init; }
    public int Seed { get; init; } = 1;
    public bool Reset { get; init; }
    public IReadOnlyList<string> TwoStepEnvironments { get; init; } = [];
    /// <summary>LifeTime token the sandbox will expect; passed through an environment variable.</summary>
    public required SecureString Token { get; init; }
    public string ServiceCenterUser { get; init; } = "admin";
    /// <summary>Service Center password; passed through an environment variable.</summary>
    public required SecureString ServiceCenterPassword { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// The pwsh to run the sandbox in (executable and leading arguments, for example
    /// ["/usr/bin/pwsh"] or ["/usr/share/dotnet/dotnet", ".../pwsh.dll"]); by default the pwsh
    /// running this process, else "pwsh" from PATH.
    /// </summary>
    public IReadOnlyList<string>? PwshCommand { get; init; }
    /// <summary>The module's dependencies/ folder (Microsoft.Data.Sqlite and its native library); by default ../dependencies from the sandbox.</summary>
    public string? DependenciesDirectory { get; init; }
    /// <summary>Runs "DotnetPath SandboxAssemblyPath arguments" instead of a pwsh (a test double or a plain dotnet host).</summary>
    public string? DotnetPath { get; init; }
}

/// <summary>A sandbox process that reported ready.</summary>
public sealed class SandboxProcessInfo
{
    public required string Url { get; init; }
    public required string PlatformDatabase { get; init; }
    public required IReadOnlyDictionary<string, string> PlatformDatabases { get; init; }
    public required string DataDirectory { get; init; }
    public required string ServiceCenterUser { get; init; }
    public required int ProcessId { get; init; }
}

/// <summary>What Stop found.</summary>
public enum SandboxStopResult { Stopped, Killed, NotRunning }

/// <summary>
/// Starts and stops the sandbox as its own process. Secrets go to the child through the
/// environment variables OSROLLBACK_SANDBOX_TOKEN and OSROLLBACK_SANDBOX_SC_PASSWORD, never on
/// the command line; the child prints one JSON "ready" line on standard output.
/// </summary>
public static class SandboxProcess
{
    public const string TokenVariable = "OSROLLBACK_SANDBOX_TOKEN";
    public const string PasswordVariable = "OSROLLBACK_SANDBOX_SC_PASSWORD";
    public const string UserVariable = "OSROLLBACK_SANDBOX_SC_USER";
    public const string AssemblyName = "OsRollback.Sandbox.dll";

    public static async Task<SandboxProcessInfo> StartAsync(SandboxLaunchOptions options, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        if (!File.Exists(options.SandboxAssemblyPath))
            throw new OsRollbackException("SandboxNotFound", OsErrorCategory.ObjectNotFound,
                $"The sandbox was not found at {options.SandboxAssemblyPath}.", options.SandboxAssemblyPath,
                "Build the module with './build.ps1 Build'; the sandbox is built into the module's sandbox folder.");
        Directory.CreateDirectory(options.DataDirectory);
        var command = Command(options);
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
            WorkingDirectory = options.DataDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment[TokenVariable] = SecretText.Use(options.Token, plain => plain);
        start.Environment[PasswordVariable] = SecretText.Use(options.ServiceCenterPassword, plain => plain);
        start.Environment[UserVariable] = options.ServiceCenterUser;

        reporter.Verbose($"Starting the sandbox: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        reporter.Progress(new ProgressUpdate("Starting the OsRollback sandbox", "Seeding the platform databases", -1));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned nothing.");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new OsRollbackException("SandboxStartFailed", OsErrorCategory.InvalidOperation,
                $"Could not run '{start.FileName}': {ex.Message}", options.SandboxAssemblyPath,
                "Run Start-OsSandbox from pwsh 7.4 or later (the sandbox runs in a child pwsh), or make sure 'pwsh' is on PATH.", ex);
        }
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) if (errors.Length < 4000) errors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line is null)
                {
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                    string text;
                    lock (errors) text = errors.ToString().Trim();
                    text = SecretText.Redact(SecretText.Redact(text, options.Token), options.ServiceCenterPassword);
                    throw new OsRollbackException("SandboxStartFailed", OsErrorCategory.InvalidOperation,
                        $"The sandbox exited with code {process.ExitCode} before it was ready.{(text.Length > 0 ? " " + text : "")}",
                        options.SandboxAssemblyPath, $"Check the message above and {Path.Combine(options.DataDirectory, "sandbox.log")}; a port in use needs another -Port.");
                }
                if (TryReadReady(line, process.Id) is { } info)
                {
                    reporter.Progress(new ProgressUpdate("Starting the OsRollback sandbox", "Ready", 100, Completed: true));
                    reporter.Verbose($"The sandbox (process {info.ProcessId}) answers at {info.Url}.");
                    return info;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new OsRollbackException("SandboxStartTimeout", OsErrorCategory.OperationTimeout,
                $"The sandbox did not report ready within {options.StartTimeout.TotalSeconds:0} seconds; it was stopped.", options.SandboxAssemblyPath,
                $"Raise -TimeoutSeconds on a busy machine, and check {Path.Combine(options.DataDirectory, "sandbox.log")} .");
        }
        catch (OsRollbackException)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>
    /// Stops a sandbox process: asks it through POST /_sandbox/shutdown when the URL and token
    /// are known, waits up to <paramref name="timeout"/>, then kills it. Refuses a process that
    /// is not a sandbox.
    /// </summary>
    public static async Task<SandboxStopResult> StopAsync(int processId, string? url, SecureString? token, TimeSpan timeout,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            reporter.Verbose($"Process {processId} is not running.");
            return SandboxStopResult.NotRunning;
        }
        using (process)
        {
            if (process.HasExited) return SandboxStopResult.NotRunning;
            if (!IsSandbox(process))
                throw new OsRollbackException("NotASandboxProcess", OsErrorCategory.InvalidArgument,
                    $"Process {processId} ({process.ProcessName}) is not an OsRollback sandbox; it was left alone.", processId,
                    "Pass the object returned by Start-OsSandbox, or the ProcessId it reported.");
            if (url is { Length: > 0 } && token is not null)
            {
                try
                {
                    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    using var request = new HttpRequestMessage(HttpMethod.Post, url.TrimEnd('/') + "/_sandbox/shutdown");
                    request.Headers.Authorization = SecretText.Use(token, plain => new AuthenticationHeaderValue("Bearer", plain));
                    using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    reporter.Verbose($"Asked the sandbox at {url} to shut down ({(int)response.StatusCode}).");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    reporter.Verbose($"The sandbox at {url} did not answer the shutdown request: {ex.Message}");
                }
            }
            else
            {
                TryTerminate(process);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                return SandboxStopResult.Stopped;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reporter.Warning($"The sandbox (process {processId}) did not stop within {timeout.TotalSeconds:0} seconds; killing it.");
                Kill(process);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                return SandboxStopResult.Killed;
            }
        }
    }

    internal static IEnumerable<string> Arguments(SandboxLaunchOptions options)
    {
        yield return "--data-dir";
        yield return options.DataDirectory;
        yield return "--port";
        yield return options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--pace-ms";
        yield return options.PaceMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--publish-latency-ms";
        yield return options.PublishLatencyMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--seed";
        yield return options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (options.Reset) yield return "--reset";
        foreach (var environment in options.TwoStepEnvironments)
        {
            yield return "--two-step";
            yield return environment;
        }
    }

    internal static SandboxProcessInfo? TryReadReady(string line, int processId)
    {
        if (!line.TrimStart().StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("url", out var url)) return null;
            var databases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("platformDatabases", out var all) && all.ValueKind == JsonValueKind.Object)
                foreach (var property in all.EnumerateObject()) databases[property.Name] = property.Value.GetString() ?? "";
            return new SandboxProcessInfo
            {
                Url = url.GetString() ?? "",
                PlatformDatabase = root.TryGetProperty("platformDatabase", out var db) ? db.GetString() ?? "" : "",
                PlatformDatabases = databases,
                DataDirectory = root.TryGetProperty("dataDirectory", out var dir) ? dir.GetString() ?? "" : "",
                ServiceCenterUser = root.TryGetProperty("serviceCenterUser", out var user) ? user.GetString() ?? "admin" : "admin",
                ProcessId = root.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var id) ? id : processId,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The whole command line: executable first, then its arguments.</summary>
    internal static IReadOnlyList<string> Command(SandboxLaunchOptions options)
    {
        if (options.DotnetPath is { Length: > 0 } host) return [host, options.SandboxAssemblyPath, .. Arguments(options)];
        var dependencies = options.DependenciesDirectory
            ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(options.SandboxAssemblyPath)))!, "dependencies");
        var pwsh = options.PwshCommand is { Count: > 0 } given ? given : CurrentPwsh();
        return [.. pwsh, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", LauncherScript(options.SandboxAssemblyPath, dependencies, Arguments(options))];
    }

    /// <summary>The script the child pwsh runs; every value is a single-quoted literal, so nothing in a path is evaluated.</summary>
    internal static string LauncherScript(string sandboxAssembly, string dependencies, IEnumerable<string> arguments)
    {
        static string Literal(string text) => "'" + text.Replace("'", "''").Replace("\u2018", "\u2018\u2018").Replace("\u2019", "\u2019\u2019") + "'";
        return $"$ErrorActionPreference = 'Stop'; Add-Type -Path {Literal(sandboxAssembly)}; " +
            $"exit [OsRollback.Sandbox.Hosting.SandboxLauncher]::Run({Literal(dependencies)}, [string[]]@({string.Join(", ", arguments.Select(Literal))}))";
    }

    /// <summary>The pwsh running this process (pwsh itself, or dotnet with pwsh.dll when run as 'dotnet pwsh'), else 'pwsh' from PATH.</summary>
    internal static IReadOnlyList<string> CurrentPwsh()
    {
        var process = Environment.ProcessPath;
        if (process is null) return ["pwsh"];
        var name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("pwsh", StringComparison.OrdinalIgnoreCase)) return [process];
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        if (name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && entry is { Length: > 0 }
            && Path.GetFileName(entry).Equals("pwsh.dll", StringComparison.OrdinalIgnoreCase)) return [process, entry];
        return ["pwsh"];
    }

    /// <summary>A sandbox is a process whose command line names OsRollback.Sandbox.dll (checked through /proc where it exists).</summary>
    private static bool IsSandbox(Process process)
    {
        var cmdline = $"/proc/{process.Id}/cmdline";
        if (File.Exists(cmdline))
        {
            try { return File.ReadAllText(cmdline).Contains(AssemblyName, StringComparison.OrdinalIgnoreCase); }
            catch (IOException) { return false; }
        }
        return process.ProcessName.Contains("dotnet", StringComparison.OrdinalIgnoreCase) || process.ProcessName.Contains("pwsh", StringComparison.OrdinalIgnoreCase)
            || process.ProcessName.Contains("OsRollback.Sandbox", StringComparison.OrdinalIgnoreCase);
    }

    private static void TryTerminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(process);
            return;
        }
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            kill?.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
