using System.Diagnostics;
using System.Text.RegularExpressions;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Smoke;

/// <summary>
/// HTTP smoke checks: GET each URL, pass when the status is expected and, when given, the body
/// contains the expected text (a regular expression, case-insensitive). HTTP goes through an
/// injectable handler; time through <see cref="TimeProvider"/>.
/// </summary>
public sealed class HttpSmokeTester : ISmokeTester
{
    private readonly HttpMessageHandler? _handler;
    private readonly SmokeOptions _options;
    private readonly TimeProvider _time;

    public HttpSmokeTester(SmokeOptions? options = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        _options = options ?? new SmokeOptions();
        _handler = handler;
        _time = time ?? TimeProvider.System;
    }

    public async Task<IReadOnlyList<SmokeResult>> RunAsync(string environment, IReadOnlyList<SmokeTarget> targets, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        using var client = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan; // per request below
        var results = new List<SmokeResult>(targets.Count);
        foreach (var target in targets)
        {
            SmokeResult result = null!;
            for (var attempt = 1; attempt <= Math.Max(1, _options.Attempts); attempt++)
            {
                result = await CheckAsync(client, target, cancellationToken).ConfigureAwait(false);
                if (result.Passed || attempt == _options.Attempts) break;
                reporter.Verbose($"Smoke check {target.Application} failed ({result.Message}); trying again ({attempt + 1}/{_options.Attempts}).");
                await Task.Delay(_options.RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            reporter.Verbose($"Smoke {(result.Passed ? "passed" : "FAILED")}: {target.Application} {target.Url} - {result.Message}");
            results.Add(result);
        }
        return results;
    }

    private async Task<SmokeResult> CheckAsync(HttpClient client, SmokeTarget target, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await client.GetAsync(target.Url, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var statusOk = _options.ExpectedStatusCodes.Count == 0 ? status is >= 200 and < 300 : _options.ExpectedStatusCodes.Contains(status);
            if (!statusOk)
                return Result(target, false, status, started, $"HTTP {status} {response.ReasonPhrase}".TrimEnd());
            if (!string.IsNullOrEmpty(target.ExpectedContent))
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (!Regex.IsMatch(body, target.ExpectedContent, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)))
                    return Result(target, false, status, started, $"HTTP {status}, but the page does not contain '{target.ExpectedContent}'");
            }
            return Result(target, true, status, started, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(target, false, null, started, $"no answer within {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Result(target, false, null, started, $"request failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException or ArgumentException)
        {
            return Result(target, false, null, started, $"invalid URL: {ex.Message}");
        }
    }

    private SmokeResult Result(SmokeTarget target, bool passed, int? status, long started, string message) => new()
    {
        Name = target.Application,
        Url = target.Url,
        Passed = passed,
        StatusCode = status,
        Duration = _time.GetElapsedTime(started),
        Message = message,
    };
}

/// <summary>Runs several smoke testers in turn (HTTP checks, then the user's script checks).</summary>
public sealed class CompositeSmokeTester : ISmokeTester
{
    private readonly ISmokeTester[] _testers;
    public CompositeSmokeTester(params ISmokeTester[] testers) => _testers = testers;

    public async Task<IReadOnlyList<SmokeResult>> RunAsync(string environment, IReadOnlyList<SmokeTarget> targets, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var all = new List<SmokeResult>();
        foreach (var tester in _testers)
            all.AddRange(await tester.RunAsync(environment, targets, reporter, cancellationToken).ConfigureAwait(false));
        return all;
    }
}
