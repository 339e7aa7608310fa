using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

public enum RestorePathKind { SnapshotRevert, LogChainToMark, FullRestore }

/// <summary>What a rollback point holds for one database, and what the server reports now.</summary>
public sealed record RevertFacts
{
    public DatabaseEngineKind Engine { get; init; }

    /// <summary>The engine's name when it has no fast way back at all (<see cref="IDatabaseProvider.FastRevert"/> is null); null when it may have one.</summary>
    public string? EngineWithoutFastRevert { get; init; }

    public bool IsAzureSqlDatabase { get; init; }
    /// <summary>The snapshot the rollback point created (null: none was created).</summary>
    public string? SnapshotName { get; init; }
    /// <summary>Whether sys.databases still lists that snapshot.</summary>
    public bool SnapshotExists { get; init; }
    /// <summary>Other snapshots of the database (a revert needs them dropped first).</summary>
    public IReadOnlyList<string> OtherSnapshots { get; init; } = [];
    /// <summary>Size on disk of the snapshot's sparse files: the pages changed since the deploy.</summary>
    public long? SnapshotBytesOnDisk { get; init; }
    public bool HasReadOnlyOrCompressedFilegroups { get; init; }
    public string? RecoveryModel { get; init; }
    /// <summary>The marked transaction of the deploy (null: none).</summary>
    public string? MarkName { get; init; }
    /// <summary>Full backup + log backups to the mark are all there with no LSN gap (see <see cref="LogChain"/>).</summary>
    public LogChainState LogChain { get; init; } = LogChainState.Unknown;
    /// <summary>Bytes of the full backup plus the log backups up to the mark.</summary>
    public long? LogChainBytes { get; init; }
    /// <summary>Data size of the database (what a full restore writes).</summary>
    public long DatabaseBytes { get; init; }
    /// <summary>Whether the rollback point has a verified full backup.</summary>
    public bool HasFullBackup { get; init; } = true;

    /// <summary>The facts when none were read from the server: the engine, whether it has a fast way back, and the size a full restore writes.</summary>
    public static RevertFacts Unread(IDatabaseProvider engine, long databaseBytes) => new()
    {
        Engine = engine.Kind,
        EngineWithoutFastRevert = engine.FastRevert is null ? engine.Addresses.EngineName : null,
        DatabaseBytes = databaseBytes,
    };
}

public enum LogChainState { Unknown, Complete, Broken }
