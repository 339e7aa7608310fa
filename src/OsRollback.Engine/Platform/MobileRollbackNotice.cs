namespace OsRollback.Engine.Platform;

/// <summary>
/// What a rollback of a mobile app does not undo. App stores cannot roll back a native build, so
/// the builds users installed stay as they are; the app's code and data roll back on the server.
/// LifeTime's NativeHash says whether the two tags need different native shells: when it differs,
/// a new native build of the rollback point's tag is needed and must be distributed.
/// </summary>
public static class MobileRollbackNotice
{
    /// <returns>The warning for the plan, or null when the application is not a mobile app.</returns>
    public static string? Warning(string applicationName, string? kind, string? runningVersion, string? runningNativeHash, string? rollbackVersion, string? rollbackNativeHash)
    {
        var mobile = string.Equals(kind, "Mobile", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(runningNativeHash) || !string.IsNullOrEmpty(rollbackNativeHash);
        if (!mobile) return null;
        var stays = $"{applicationName} is a mobile app: the native builds installed on devices stay as they are (app stores cannot roll a build back).";
        if (string.IsNullOrEmpty(runningNativeHash) || string.IsNullOrEmpty(rollbackNativeHash))
            return stays + $" Whether a new native build is needed is unknown (no NativeHash known for {(string.IsNullOrEmpty(runningNativeHash) ? runningVersion : rollbackVersion)}): compare the NativeHash of both tags (Get-OsApplicationVersion); when it differs, generate a new native build of {rollbackVersion} and distribute it.";
        return string.Equals(runningNativeHash, rollbackNativeHash, StringComparison.OrdinalIgnoreCase)
            ? stays + $" {rollbackVersion} has the same native shell (NativeHash) as {runningVersion}: no new native build is needed; installed apps take the rolled-back code on their next update check."
            : stays + $" {rollbackVersion} has another native shell (NativeHash) than {runningVersion}: generate a new native build of {rollbackVersion} and distribute it; until users install it, apps built for {runningVersion} may not work with the rolled-back server.";
    }
}
