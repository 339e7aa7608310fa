namespace OsRollback.Engine.Database.FastRevert;

/// <summary>The chosen path, why, and how long the outage is expected to last.</summary>
public sealed record RestorePathChoice(RestorePathKind Path, string Reason, long BytesToWrite, TimeSpan ExpectedOutage, IReadOnlyList<string> Rejected)
{
    public override string ToString() => $"{Path}: {Reason} (about {ExpectedOutage.TotalMinutes:0.#} min for {BytesToWrite:N0} bytes)";
}

/// <summary>
/// Picks the fastest safe way back to the rollback point: a snapshot revert (copies back only the
/// pages changed since the deploy), a restore of the full backup and the log chain to the deploy's
/// mark, or a full restore. The outage estimate is bytes to write / <see cref="BytesPerSecond"/>.
/// </summary>
public sealed class RestorePathChooser
{
    /// <summary>Write throughput assumed for the estimate (default 200 MB/s; pass what the server's disks do).</summary>
    public double BytesPerSecond { get; init; } = 200d * 1024 * 1024;

    public RestorePathChoice Choose(RevertFacts facts)
    {
        var rejected = new List<string>();
        if (facts.EngineWithoutFastRevert is { } engine)
        {
            rejected.Add($"SnapshotRevert: {engine} has no database snapshots.");
            rejected.Add($"LogChainToMark: {engine} has no transaction log backups.");
            return Full(facts, $"{engine} has neither snapshots nor log backups: the backup file is copied back whole.", rejected);
        }
        if (SnapshotRefusal(facts) is { } whyNotSnapshot) rejected.Add("SnapshotRevert: " + whyNotSnapshot);
        else
        {
            var changed = facts.SnapshotBytesOnDisk ?? facts.DatabaseBytes;
            return new RestorePathChoice(RestorePathKind.SnapshotRevert,
                $"the snapshot {facts.SnapshotName} exists; reverting copies back the {changed:N0} bytes of pages changed since the deploy" +
                (facts.OtherSnapshots.Count > 0 ? $" (the other snapshots {string.Join(", ", facts.OtherSnapshots)} are dropped first)" : ""),
                changed, Estimate(changed), rejected);
        }
        if (LogChainRefusal(facts) is { } whyNotLog) rejected.Add("LogChainToMark: " + whyNotLog);
        else
        {
            var bytes = facts.LogChainBytes ?? facts.DatabaseBytes;
            return new RestorePathChoice(RestorePathKind.LogChainToMark,
                $"the full backup and an unbroken log chain reach the mark {facts.MarkName}; RESTORE LOG ... STOPBEFOREMARK stops exactly at the deploy",
                bytes, Estimate(bytes), rejected);
        }
        return Full(facts, "no usable snapshot or log chain: the rollback point's full backup is restored.", rejected);
    }

    private static string? SnapshotRefusal(RevertFacts facts)
    {
        if (facts.IsAzureSqlDatabase) return "Azure SQL Database has no database snapshots.";
        if (facts.SnapshotName is null) return "the rollback point created no snapshot.";
        if (!facts.SnapshotExists) return $"the snapshot {facts.SnapshotName} no longer exists.";
        if (facts.HasReadOnlyOrCompressedFilegroups) return "the database has read-only or compressed filegroups, which a revert refuses.";
        return null;
    }

    private static string? LogChainRefusal(RevertFacts facts)
    {
        if (facts.IsAzureSqlDatabase) return "Azure SQL Database takes no log backups that can be restored here.";
        if (!string.Equals(facts.RecoveryModel, "FULL", StringComparison.OrdinalIgnoreCase)) return $"the recovery model is {facts.RecoveryModel ?? "unknown"}, not FULL.";
        if (facts.MarkName is null) return "the rollback point wrote no marked transaction.";
        if (!facts.HasFullBackup) return "the rollback point has no full backup to start the chain from.";
        return facts.LogChain switch
        {
            LogChainState.Broken => "the log chain is broken (an LSN gap in msdb backup history).",
            LogChainState.Unknown => "the log chain was not checked.",
            _ => null,
        };
    }

    private RestorePathChoice Full(RevertFacts facts, string reason, List<string> rejected) =>
        new(RestorePathKind.FullRestore, reason, facts.DatabaseBytes, Estimate(facts.DatabaseBytes), rejected);

    private TimeSpan Estimate(long bytes) => TimeSpan.FromSeconds(bytes / Math.Max(1d, BytesPerSecond));
}
