using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Sandbox;
using OsRollback.Engine.Security;

namespace OsRollback.Sandbox.Tests;

/// <summary>The engine's launcher of the sandbox process (Start-OsSandbox's engine side).</summary>
public sealed class SandboxProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("osrollback-launcher-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private SandboxLaunchOptions Options(string assembly, string? host = null, int timeoutSeconds = 30) => new()
    {
        SandboxAssemblyPath = assembly,
        DataDirectory = Path.Combine(_directory, "data"),
        Token = SecretText.FromPlainText("launcher-token"),
        ServiceCenterPassword = SecretText.FromPlainText("launcher-password"),
        StartTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        DotnetPath = host,
    };

    [Fact]
    public async Task A_missing_sandbox_is_SandboxNotFound()
    {
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => SandboxProcess.StartAsync(Options(Path.Combine(_directory, "missing.dll"))));
        Assert.Equal("SandboxNotFound", ex.ErrorId);
    }

    [SkippableFact]
    public async Task A_sandbox_that_exits_early_is_SandboxStartFailed_with_its_message_and_no_secret()
    {
        Skip.IfNot(File.Exists("/bin/sh"), "These launcher tests use /bin/sh as a stand-in sandbox.");
        var script = Path.Combine(_directory, "fails.sh");
        await File.WriteAllTextAsync(script, "echo \"cannot bind: token=$OSROLLBACK_SANDBOX_TOKEN\" >&2\nexit 3\n");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => SandboxProcess.StartAsync(Options(script, "/bin/sh")));
        Assert.Equal("SandboxStartFailed", ex.ErrorId);
        Assert.Contains("code 3", ex.Message);
        Assert.Contains("cannot bind", ex.Message);
        Assert.DoesNotContain("launcher-token", ex.Message);
    }

    [SkippableFact]
    public async Task A_sandbox_that_never_reports_ready_is_stopped_and_SandboxStartTimeout()
    {
        Skip.IfNot(File.Exists("/bin/sh"), "These launcher tests use /bin/sh as a stand-in sandbox.");
        var script = Path.Combine(_directory, "hangs.sh");
        await File.WriteAllTextAsync(script, "echo starting\nexec sleep 120\n");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => SandboxProcess.StartAsync(Options(script, "/bin/sh", timeoutSeconds: 1)));
        Assert.Equal("SandboxStartTimeout", ex.ErrorId);
        Assert.Equal(OsErrorCategory.OperationTimeout, ex.Category);
    }

    [SkippableFact]
    public async Task The_ready_line_is_read_and_the_secrets_travel_in_the_environment()
    {
        Skip.IfNot(File.Exists("/bin/sh"), "These launcher tests use /bin/sh as a stand-in sandbox.");
        var script = Path.Combine(_directory, "ready.sh");
        var seen = Path.Combine(_directory, "seen.txt");
        await File.WriteAllTextAsync(script,
            $"echo \"$OSROLLBACK_SANDBOX_TOKEN $OSROLLBACK_SANDBOX_SC_PASSWORD $OSROLLBACK_SANDBOX_SC_USER $*\" > '{seen}'\n" +
            "echo 'warming up'\n" +
            "echo '{\"url\":\"http://127.0.0.1:5\",\"platformDatabase\":\"/x/production.db\",\"platformDatabases\":{\"Production\":\"/x/production.db\"},\"dataDirectory\":\"/x\",\"serviceCenterUser\":\"admin\",\"pid\":4242}'\n");
        var info = await SandboxProcess.StartAsync(Options(script, "/bin/sh"));
        Assert.Equal("http://127.0.0.1:5", info.Url);
        Assert.Equal("/x/production.db", info.PlatformDatabases["production"]);
        Assert.Equal(4242, info.ProcessId);
        var line = await File.ReadAllTextAsync(seen);
        Assert.StartsWith("launcher-token launcher-password admin ", line);
        Assert.Contains("--data-dir", line);
        Assert.Equal(1, line.Split("launcher-token").Length - 1);
    }

    [Fact]
    public async Task Stopping_a_process_that_is_not_running_says_so()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        var result = await SandboxProcess.StopAsync(process.Id, null, null, TimeSpan.FromSeconds(1));
        Assert.Equal(SandboxStopResult.NotRunning, result);
    }

}
