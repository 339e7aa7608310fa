using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>A parallel copy of a database for a rehearsal; disposing it drops it unless it is kept.</summary>
public sealed class ParallelCopy(DatabaseTarget target, bool fresh, Action drop) : IDisposable
{
    private bool _dropped;

    public DatabaseTarget Target { get; } = target;
    /// <summary>True for a copy made for this rehearsal; false for an existing parallel database (never dropped).</summary>
    public bool Fresh { get; } = fresh;
    public bool Keep { get; set; }

    public void Dispose()
    {
        if (_dropped || Keep || !Fresh) return;
        _dropped = true;
        drop();
    }

    public static ParallelCopy Existing(DatabaseTarget target) => new(target, false, () => { });
}
