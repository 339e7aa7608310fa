namespace OsRollback.Engine.Smoke;

/// <summary>The outcome of one smoke check. <see cref="Passed"/> is what a script tests.</summary>
public sealed class SmokeResult
{
    public required string Name { get; init; }
    public string? Url { get; init; }
    public bool Passed { get; init; }
    public int? StatusCode { get; init; }
    public TimeSpan Duration { get; init; }
    public string Message { get; init; } = "";
    public string Kind { get; init; } = "Http";

    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Message}";
}

/// <summary>Options of the HTTP checks.</summary>
public sealed class SmokeOptions
{
    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Status codes counted as a pass (default: 200-299).</summary>
    public IReadOnlyList<int> ExpectedStatusCodes { get; init; } = [];

    /// <summary>Tries per check (a failed try is repeated after <see cref="RetryDelay"/>).</summary>
    public int Attempts { get; init; } = 1;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
