namespace OsRollback.Engine.Modules;

/// <summary>
/// What a picture of the module graph marks besides the waves: the modules the bad deploy changed
/// and those the rollback republished (names, matched without regard to case).
/// </summary>
public sealed class ModuleGraphMarks
{
    public ModuleGraphMarks(IEnumerable<string> changed, IEnumerable<string> republished)
    {
        Changed = new HashSet<string>(changed, StringComparer.OrdinalIgnoreCase);
        Republished = new HashSet<string>(republished, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlySet<string> Changed { get; }
    public IReadOnlySet<string> Republished { get; }

    public static ModuleGraphMarks None { get; } = new([], []);
}
