using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Scripting;
using OsRollback.Engine.Smoke;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Invoke-OsRollback: executes an approved plan step by step, with a journal, an environment lock and a report.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "OsRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Default")]
[OutputType(typeof(RollbackResult))]
[OutputType(typeof(string))]
public sealed class InvokeOsRollbackCommand : RollbackDatabaseCmdlet
{
    /// <summary>The plan: the object from New-OsRollbackPlan or the path of a JSON plan file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [RollbackPlanTransformation]
    public RollbackPlanReference Plan { get; set; } = null!;

    /// <summary>Continue a run that crashed or failed, from its first unfinished step.</summary>
    [Parameter]
    public SwitchParameter Resume { get; set; }

    /// <summary>Refuse a plan that is not for this environment (a guard for pipelines).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Refuse a plan whose digest is not this one (what the approver read in plan.md; "sha256:" prefix optional).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExpectedPlanDigest { get; set; }

    /// <summary>Run a plan that carries no digest (format version 1, or its digest removed): nothing proves it is the plan that was approved.</summary>
    [Parameter]
    public SwitchParameter AllowUnapprovedPlan { get; set; }

    /// <summary>Run a Database plan although its rollback point was restored after the plan was made.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The LifeTime connection from Connect-OsLifeTime.</summary>
    [Parameter]
    public LifeTimeConnection? Connection { get; set; }

    /// <summary>The Service Center connection from Connect-OsServiceCenter (publishes).</summary>
    [Parameter]
    public ServiceCenterConnection? ServiceCenterConnection { get; set; }

    /// <summary>Database strategy: closes the applications to users (script block or script path).</summary>
    [Parameter]
    [ValidateNotNull]
    [HookScriptTransformation]
    public HookScriptReference? OfflineScript { get; set; }

    /// <summary>Database strategy: opens the applications to users after the smoke test passed (script block or script path).</summary>
    [Parameter]
    [ValidateNotNull]
    [HookScriptTransformation]
    public HookScriptReference? OnlineScript { get; set; }

    /// <summary>Database strategy: does the server steps of OutSystems' restore procedure (script block or script path; gets a context with Operation, Server, Role).</summary>
    [Parameter]
    [ValidateNotNull]
    [HookScriptTransformation]
    public HookScriptReference? ProcedureScript { get; set; }

    /// <summary>Database strategy: the credential for PowerShell remoting to the servers named in the plan (never stored).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ServerCredential { get; set; }

    /// <summary>With -Resume: the step the run stopped at (ManualStepRequired) was done by hand.</summary>
    [Parameter]
    public SwitchParameter ManualStepDone { get; set; }

    /// <summary>Extra smoke checks (script blocks that get the environment name; pass unless they throw or return $false).</summary>
    [Parameter]
    public ScriptBlock[] SmokeScript { get; set; } = [];

    /// <summary>Seconds one smoke HTTP request may take.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int SmokeTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds to wait for another rollback of the environment to end (default 0: fail at once).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int LockTimeoutSeconds { get; set; }

    /// <summary>
    /// A folder to copy the run's report to (report.json, report.md, report.html), also when the run fails;
    /// created when missing. The result's ReportPath and MarkdownReportPath then name these copies.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary>Write the T-SQL of every database step (platform steps as comments) and change nothing.</summary>
    /// <remarks>In every parameter set: the SQL Server and SQLite sets of the database parameters apply to the script too.</remarks>
    [Parameter]
    public SwitchParameter OutputScriptOnly { get; set; }

    protected override void ProcessRecord()
    {
        if (ManualStepDone && !Resume)
        {
            ThrowInvalid("ManualStepDoneNeedsResume", Engine.Diagnostics.OsErrorCategory.InvalidArgument,
                "-ManualStepDone confirms the step a run stopped at, so it goes with -Resume.", nameof(ManualStepDone),
                "Run Invoke-OsRollback -Plan <plan.json> -Resume -ManualStepDone after doing the step by hand.");
        }
        var reportFolder = ReportPath is null ? null : RunReportCopy.CheckFolder(this, ReportPath);
        var catalog = Catalog;
        var plan = Run(_ => Plan.Resolve());
        var point = Run(_ => RollbackInputs.PointOfPlan(catalog, plan));
        var database = DatabaseOrNull;
        if (database is null && plan.Strategy == RollbackStrategy.Database)
        {
            database = point.Manifest.Database.ToTarget();
            if (database is not null) WriteVerbose($"Using the rollback point's database {database.DisplayName} (integrated authentication for SQL Server).");
        }
        var options = new RollbackExecutionOptions
        {
            Resume = Resume.IsPresent,
            ExpectedEnvironment = Environment,
            ExpectedPlanDigest = ExpectedPlanDigest,
            AllowUnapprovedPlan = AllowUnapprovedPlan.IsPresent,
            Force = Force.IsPresent,
            ManualStepDone = ManualStepDone.IsPresent,
            LockTimeout = TimeSpan.FromSeconds(LockTimeoutSeconds),
        };
        // Checked once: before -WhatIf and the confirmation, and not again by the run.
        var validated = Run(reporter => RollbackRun.Validate(plan, point, database, options, reporter));
        if (OutputScriptOnly)
        {
            // Reads the plan and the point's manifest only: no connection, no lock, no journal.
            foreach (var part in RollbackScriptWriter.Write(plan, point, DateTimeOffset.UtcNow)) WriteObject(part);
            return;
        }

        if (!ShouldExecute(plan)) return;

        var offline = Run(_ => OfflineScript?.Resolve(nameof(OfflineScript)));
        var online = Run(_ => OnlineScript?.Resolve(nameof(OnlineScript)));
        var procedure = Run(_ => ProcedureScript?.Resolve(nameof(ProcedureScript)));
        var required = RollbackRun.RequiredPorts(plan);
        using var ports = Run(_ => Services.CreatePorts(new RollbackPortRequest
        {
            Connection = Connection,
            ServiceCenterConnection = ServiceCenterConnection,
            Database = database,
            NeedsPlatform = required.Contains(PortRequirement.Platform),
            NeedsDatabase = required.Contains(PortRequirement.Database) || required.Contains(PortRequirement.Identity),
            Firewall = new ScriptFirewallHook(Work, offline, online, Reporter),
            Procedure = new ScriptServerProcedure(Work, procedure, ServerCredential, Reporter),
            Smoke = new CompositeSmokeTester(
                new HttpSmokeTester(new SmokeOptions { Timeout = TimeSpan.FromSeconds(SmokeTimeoutSeconds) }),
                new ScriptSmokeTester(Work, SmokeScript)),
        }));
        var result = RunAsync((reporter, ct) => new RollbackRun(catalog, ports).ExecuteAsync(validated, reporter, ct));
        if (reportFolder is not null) RunReportCopy.CopyTo(this, result, reportFolder);
        if (AzureDevOps.IsActive) Console.Out.WriteLine(AzureDevOps.UploadSummary(result.MarkdownReportPath));
        WriteObject(result);
        // The failure's TargetObject is the result: a caller whose assignment never happened
        // ($ErrorActionPreference = 'Stop') still finds the report through $_.TargetObject.MarkdownReportPath.
        if (result.Error is { } error) ThrowTerminatingError(ToErrorRecord(error, result));
    }

    /// <summary>
    /// One ShouldProcess for the whole plan: -WhatIf prints every step and stops, -Confirm asks once,
    /// and $WhatIfPreference / $ConfirmPreference work as for any cmdlet.
    /// </summary>
    private bool ShouldExecute(RollbackPlan plan)
    {
        var dataLoss = plan.DataLoss ? $"; DATA LOSS: everything written after {plan.DataLossFrom:u}" : "";
        var action = $"Execute the {plan.Strategy} rollback plan {plan.Id} on {plan.Environment} ({plan.Steps.Count} steps{dataLoss})";
        var steps = plan.Steps.Select(step => $"  Step {step.Number}/{plan.Steps.Count} ({step.Kind}): {step.Title} [{step.Target}]");
        var description = string.Join(System.Environment.NewLine, steps.Prepend(action + ":"));
        var go = ShouldProcess(description, action + "?", "Invoke-OsRollback", out var reason);
        if (!go && reason == ShouldProcessReason.WhatIf) WriteVerbose($"-WhatIf: plan {plan.Id} was checked and listed; no step ran.");
        return go;
    }
}
