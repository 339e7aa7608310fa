namespace OsRollback.Engine.Database;

/// <summary>
/// What an engine's full backup is, so a command can say what a backup would do (-WhatIf) without
/// asking which engine it has.
/// </summary>
/// <param name="CopyOnlyApplies">The engine keeps a backup chain that a copy-only backup leaves alone (SQL Server).</param>
/// <param name="AlwaysVerified">Every backup is checked as it is written, -Verify or not (SQLite: quick_check beside the copy).</param>
public sealed record BackupTraits(bool CopyOnlyApplies, bool AlwaysVerified)
{
    /// <summary>An engine that states nothing special: a full backup, verified when asked.</summary>
    public static BackupTraits Plain { get; } = new(false, false);

    /// <summary>The -WhatIf line of a backup to <paramref name="where"/>.</summary>
    public string Describe(BackupOptions options, string where) =>
        $"Full{(CopyOnlyApplies && options.CopyOnly ? " copy-only" : "")} backup to {where}{(options.Verify || AlwaysVerified ? ", then verify it" : "")}";
}
