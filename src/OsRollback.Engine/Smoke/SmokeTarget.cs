namespace OsRollback.Engine.Smoke;

/// <summary>An application to smoke-test: its name, the URL to get and an optional text the page must contain.</summary>
public sealed record SmokeTarget(string Application, string Url, string? ExpectedContent = null);
