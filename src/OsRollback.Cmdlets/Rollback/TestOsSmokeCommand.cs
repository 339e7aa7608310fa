using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Test-OsSmoke: HTTP checks of application URLs plus user script blocks; one pass/fail object per check.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OsSmoke", DefaultParameterSetName = "Url")]
[OutputType(typeof(SmokeResult))]
public sealed class TestOsSmokeCommand : OsCmdlet
{
    private readonly List<SmokeTarget> _targets = new();

    /// <summary>URLs to GET.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Url")]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = [];

    /// <summary>Check the applications captured in this rollback point (their URLs).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "RollbackPoint")]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    [RollbackPointTransformation]
    public RollbackPointReference? RollbackPoint { get; set; }

    /// <summary>A regular expression the page must contain (case-insensitive).</summary>
    [Parameter]
    public string? Expect { get; set; }

    /// <summary>Status codes that pass; default 200-299.</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int[] ExpectedStatusCode { get; set; } = [];

    /// <summary>Seconds one request may take.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Tries per URL before it fails.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Attempts { get; set; } = 1;

    /// <summary>Script blocks run as extra checks; each gets the environment name and passes unless it throws or returns $false.</summary>
    [Parameter]
    public ScriptBlock[] Script { get; set; } = [];

    /// <summary>The environment name given to the script blocks.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string Environment { get; set; } = "";

    /// <summary>The catalog folder (with -RollbackPoint); default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter(ParameterSetName = "RollbackPoint")]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var url in Url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                ThrowInvalid("InvalidSmokeUrl", OsErrorCategory.InvalidArgument, $"'{url}' is not an http(s) address.", url,
                    "Give absolute http:// or https:// addresses with -Url, or a rollback point with -RollbackPoint (Get-OsRollbackPoint | Test-OsSmoke binds nothing by value).");
            }
            _targets.Add(new SmokeTarget(TryName(url), url, Expect));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == "RollbackPoint")
        {
            var point = Run(_ => RollbackPoint!.Resolve(RollbackInputs.Catalog(this, CatalogPath)));
            if (string.IsNullOrEmpty(Environment)) Environment = point.Environment;
            _targets.AddRange(point.Manifest.Applications.Where(a => !string.IsNullOrEmpty(a.Url)).Select(a => new SmokeTarget(a.Name, a.Url!, Expect)));
        }
        if (_targets.Count == 0 && Script.Length == 0)
        {
            ThrowInvalid("NoSmokeChecks", OsErrorCategory.InvalidArgument, "No smoke check was given.", null, "Give -Url, -RollbackPoint or -Script.");
        }
        var http = new HttpSmokeTester(new SmokeOptions
        {
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            ExpectedStatusCodes = ExpectedStatusCode,
            Attempts = Attempts,
        });
        var smoke = new CompositeSmokeTester(http, new ScriptSmokeTester(Work, Script));
        var results = RunAsync((reporter, cancel) => smoke.RunAsync(Environment, _targets, reporter, cancel));
        foreach (var result in results)
        {
            if (!result.Passed) WriteWarning($"Smoke check failed: {result.Name} {result.Url}: {result.Message}");
            WriteObject(result);
        }
    }

    private static string TryName(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? (uri.AbsolutePath.Trim('/') is { Length: > 0 } p ? p : uri.Host) : url;
}
