using System.Security.Cryptography;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Safety;

/// <summary>
/// The SHA-256 of a backup being restored, computed on its own stream while the restore copies
/// the file (the second read comes from the page cache), and checked before the restore commits:
/// the content hash an approved plan pinned binds what is restored, without a second pass in the outage.
/// </summary>
public sealed class SourceContentHash : IDisposable
{
    private readonly string _path;
    private readonly string _expected;
    private readonly Task<string> _hash;
    private readonly CancellationTokenSource _stop;

    private SourceContentHash(string path, string expected, CancellationToken ct)
    {
        _path = path;
        _expected = expected;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Opened before the restore opens the file, so both read the file that was there when the restore began.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        _hash = Task.Run(async () =>
        {
            await using (stream.ConfigureAwait(false))
                return Convert.ToHexString(await SHA256.HashDataAsync(stream, _stop.Token).ConfigureAwait(false)).ToLowerInvariant();
        }, _stop.Token);
    }

    /// <summary>Starts hashing <paramref name="path"/> in the background; null when no hash is expected.</summary>
    public static SourceContentHash? Start(string path, string? expectedSha256, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(expectedSha256) ? null : new SourceContentHash(path, expectedSha256.Trim(), ct);

    /// <summary>Hashes <paramref name="path"/> now and throws BackupContentMismatch unless it has <paramref name="expectedSha256"/>.</summary>
    public static void Ensure(string path, string expectedSha256, CancellationToken ct)
    {
        using var hash = new SourceContentHash(path, expectedSha256, ct);
        hash.Ensure();
    }

    /// <summary>Waits for the hash and throws BackupContentMismatch unless it is the expected one (nothing may be committed then).</summary>
    public void Ensure()
    {
        var actual = _hash.GetAwaiter().GetResult();
        if (string.Equals(actual, _expected, StringComparison.OrdinalIgnoreCase)) return;
        throw new OsRollbackException("BackupContentMismatch", OsErrorCategory.SecurityError,
            $"The backup '{_path}' is not the file that was approved: its SHA-256 is {actual}, the approved one {_expected}. Nothing was replaced.", _path,
            "Do not restore from this file: it was replaced or changed after the rollback point was taken. Restore the original from a copy, or plan again from another rollback point.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _hash.Wait(); } catch (AggregateException) { /* cancelled or failed: the restore already failed */ }
        _stop.Dispose();
    }
}
