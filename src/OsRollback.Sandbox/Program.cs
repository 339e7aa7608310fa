// The sandbox as a process: pwsh loads OsRollback.Sandbox.dll through SandboxLauncher (Start-OsSandbox),
// or dotnet OsRollback.Sandbox.dll --port 0 --data-dir <dir> [options].
// Secrets come from environment variables, never the command line. When ready it prints one
// JSON line on standard output and nothing else afterwards; it stops on SIGTERM/Ctrl+C or
// POST /_sandbox/shutdown.
using System.Globalization;
using System.Text.Json;
using OsRollback.Sandbox;
using OsRollback.Sandbox.Runtime;

return await SandboxProgram.RunAsync(args);

public partial class Program { }

/// <summary>Command-line entry point of the sandbox process.</summary>
public static class SandboxProgram
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public const string TokenVariable = "OSROLLBACK_SANDBOX_TOKEN";
    public const string PasswordVariable = "OSROLLBACK_SANDBOX_SC_PASSWORD";
    public const string UserVariable = "OSROLLBACK_SANDBOX_SC_USER";

    public const string Usage = """
        Usage: dotnet OsRollback.Sandbox.dll --data-dir <dir> [--port 0] [--pace-ms 200] [--publish-latency-ms 0]
               [--seed 1] [--reset] [--two-step <environment>]... [--lifetime-version 11.23.0] [--fault <json>]... [--deployment-outcome <outcome>]
        Environment: OSROLLBACK_SANDBOX_TOKEN (LifeTime token, required), OSROLLBACK_SANDBOX_SC_PASSWORD
        (Service Center password), OSROLLBACK_SANDBOX_SC_USER (default admin).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        SandboxOptions options;
        string? outcome = null;
        try
        {
            options = Parse(args, out outcome);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        SandboxHost host;
        try
        {
            host = await SandboxHost.StartAsync(options);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine("The sandbox could not start: " + ex.Message);
            return 1;
        }
        await using (host)
        {
            if (outcome is not null) host.Control.SetNextDeploymentOutcome(SandboxControl.ParseOutcome(outcome));
            var ready = new
            {
                url = host.Url,
                platformDatabase = host.PlatformDatabase,
                platformDatabases = host.PlatformDatabases,
                dataDirectory = host.DataDirectory,
                serviceCenterUser = host.ServiceCenterUser,
                pid = Environment.ProcessId,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(ready));
            Console.Out.Flush();
            var stopped = new TaskCompletionSource();
            // SIGTERM (Stop-OsSandbox without a URL) and Ctrl+C stop the sandbox cleanly.
            void Stop(System.Runtime.InteropServices.PosixSignalContext signal)
            {
                signal.Cancel = true;
                _ = host.StopAsync();
            }
            using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            using (host.Stopping.Register(() => stopped.TrySetResult()))
                await stopped.Task;
        }
        return 0;
    }

    public static SandboxOptions Parse(string[] args, out string? outcome)
    {
        outcome = null;
        var options = new SandboxOptions
        {
            Token = Environment.GetEnvironmentVariable(TokenVariable),
            ServiceCenterPassword = Environment.GetEnvironmentVariable(PasswordVariable),
        };
        if (Environment.GetEnvironmentVariable(UserVariable) is { Length: > 0 } user) options.ServiceCenterUser = user;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a number >= 0.");
            switch (args[i])
            {
                case "--port": options.Port = Number(); break;
                case "--data-dir": options.DataDirectory = Next(); break;
                case "--pace-ms": options.Pace = TimeSpan.FromMilliseconds(Number()); break;
                case "--publish-latency-ms": options.PublishLatency = TimeSpan.FromMilliseconds(Number()); break;
                case "--seed": options.Seed = Number(); break;
                case "--reset": options.Reset = true; break;
                case "--two-step": options.TwoStepEnvironments.Add(Next()); break;
                case "--lifetime-version":
                    options.LifeTimeVersion = Next();
                    if (!Version.TryParse(options.LifeTimeVersion, out _)) throw new ArgumentException("--lifetime-version needs a version such as 11.24.0.");
                    break;
                case "--log-file": options.LogFile = Next(); break;
                case "--deployment-outcome": outcome = Next(); SandboxControl.ParseOutcome(outcome); break;
                case "--fault":
                    try
                    {
                        options.Faults.Add(JsonSerializer.Deserialize<FaultRule>(Next(), WebJson)
                            ?? throw new ArgumentException("--fault needs a JSON object."));
                    }
                    catch (JsonException ex)
                    {
                        throw new ArgumentException("--fault needs a JSON object: " + ex.Message);
                    }
                    break;
                case "--help" or "-h": throw new ArgumentException("Help:");
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) throw new ArgumentException("--data-dir is required.");
        if (string.IsNullOrEmpty(options.Token)) throw new ArgumentException($"The environment variable {TokenVariable} must hold the LifeTime token.");
        options.LogFile ??= Path.Combine(Path.GetFullPath(options.DataDirectory), "sandbox.log");
        return options;
    }
}
