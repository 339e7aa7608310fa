using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OsRollback.Sandbox.Runtime;

/// <summary>
/// A fault on demand. Requests whose path matches <see cref="PathPattern"/> (a glob: <c>*</c>
/// matches anything, case-insensitive) and, when set, <see cref="Method"/>, are delayed by
/// <see cref="LatencyMs"/> and fail with <see cref="StatusCode"/> with probability
/// <see cref="ErrorRate"/> (0 = a latency-only rule). <see cref="Count"/> limits how many
/// requests the rule affects (null = no limit). 429 and 503 answers carry Retry-After.
/// </summary>
public sealed class FaultRule
{
    [JsonPropertyName("pathPattern")] public string PathPattern { get; set; } = "*";
    [JsonPropertyName("method")] public string? Method { get; set; }
    [JsonPropertyName("errorRate")] public double ErrorRate { get; set; } = 1.0;
    [JsonPropertyName("statusCode")] public int StatusCode { get; set; } = 503;
    [JsonPropertyName("count")] public int? Count { get; set; }
    [JsonPropertyName("latencyMs")] public int LatencyMs { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int RetryAfterSeconds { get; set; } = 1;
    /// <summary>How many requests this rule has affected so far.</summary>
    [JsonPropertyName("hits")] public int Hits { get; set; }

    internal bool Exhausted => Count is int c && Hits >= c;

    internal bool Matches(string method, string path)
    {
        if (Method is { Length: > 0 } m && !string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) return false;
        var regex = "^" + Regex.Escape(PathPattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return Regex.IsMatch(path, regex, RegexOptions.IgnoreCase);
    }
}

/// <summary>The decision for one request.</summary>
public readonly record struct FaultDecision(int LatencyMs, int StatusCode, int RetryAfterSeconds)
{
    public bool Fails => StatusCode > 0;
}

/// <summary>
/// Fault injection and request counters of a running sandbox (also reachable over HTTP through
/// /_sandbox/faults, /_sandbox/deployment-outcome and /_sandbox/state).
/// </summary>
public sealed class SandboxControl
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _faults = [];
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private (RunOutcome Outcome, string Info)? _nextOutcome;

    public SandboxControl(int seed) => _random = new Random(seed);

    public void AddFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.ErrorRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rule), "errorRate must be between 0 and 1.");
        lock (_gate) _faults.Add(rule);
    }

    public void ClearFaults()
    {
        lock (_gate) _faults.Clear();
    }

    public IReadOnlyList<FaultRule> Faults
    {
        get { lock (_gate) return _faults.ToList(); }
    }

    /// <summary>The next deployment or publish that starts ends this way (once).</summary>
    public void SetNextDeploymentOutcome(RunOutcome outcome, string? info = null)
    {
        lock (_gate) _nextOutcome = outcome == RunOutcome.Normal ? null : (outcome, info is { Length: > 0 } ? info : "deployment_prepared");
    }

    public string? NextDeploymentOutcome
    {
        get { lock (_gate) return _nextOutcome is { } o ? OutcomeName(o.Outcome) : null; }
    }

    private string? _stagingRefusal;

    /// <summary>The next module staging Service Center receives is refused (publishId 0) with this reason (once).</summary>
    public void RefuseNextStaging(string reason)
    {
        lock (_gate) _stagingRefusal = reason;
    }

    internal string? TakeStagingRefusal()
    {
        lock (_gate)
        {
            var reason = _stagingRefusal;
            _stagingRefusal = null;
            return reason;
        }
    }

    internal (RunOutcome Outcome, string Info) TakeNextOutcome()
    {
        lock (_gate)
        {
            var result = _nextOutcome ?? (RunOutcome.Normal, "");
            _nextOutcome = null;
            return result;
        }
    }

    internal FaultDecision Decide(string method, string path)
    {
        lock (_gate)
        {
            var latency = 0;
            foreach (var rule in _faults)
            {
                if (rule.Exhausted || !rule.Matches(method, path)) continue;
                if (rule.ErrorRate <= 0 || rule.StatusCode <= 0)
                {
                    rule.Hits++;
                    latency += rule.LatencyMs;
                    continue;
                }
                if (rule.ErrorRate >= 1 || _random.NextDouble() < rule.ErrorRate)
                {
                    rule.Hits++;
                    return new FaultDecision(latency + rule.LatencyMs, rule.StatusCode, rule.RetryAfterSeconds);
                }
            }
            return new FaultDecision(latency, 0, 0);
        }
    }

    /// <summary>Requests served, by "METHOD route-template" (for example "GET /lifetimeapi/rest/v2/deployments/{DeploymentKey}/status/").</summary>
    public IReadOnlyDictionary<string, long> RequestCounts => new SortedDictionary<string, long>(_requests, StringComparer.Ordinal);

    public long TotalRequests => _requests.Values.Sum();

    public void ResetRequestCounts() => _requests.Clear();

    internal void CountRequest(string key) => _requests.AddOrUpdate(key, 1, (_, n) => n + 1);

    public static string OutcomeName(RunOutcome outcome) => outcome switch
    {
        RunOutcome.FinishedWithErrors => "finished_with_errors",
        RunOutcome.NeedsUserIntervention => "needs_user_intervention",
        _ => "normal",
    };

    public static RunOutcome ParseOutcome(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "finished_with_errors" => RunOutcome.FinishedWithErrors,
        "needs_user_intervention" => RunOutcome.NeedsUserIntervention,
        "normal" or "finished_successful" or "" or null => RunOutcome.Normal,
        _ => throw new ArgumentException($"Unknown outcome '{text}': use finished_with_errors, needs_user_intervention or normal."),
    };
}
