namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>Azure DevOps logging commands, written to standard output when TF_BUILD is set.</summary>
internal static class AzureDevOps
{
    public static bool IsActive => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD"));

    public static string SetProgress(int percent, string activity) =>
        $"##vso[task.setprogress value={Math.Clamp(percent, 0, 100)};]{Escape(activity)}";

    // One pipeline step is one process; its progress bar must only move forward, whichever
    // cmdlet (New-OsRollbackPoint, then Test-OsRollbackPoint, ...) reports it.
    private static int s_lastPercent = -1;

    /// <summary>The setprogress line when <paramref name="percent"/> is ahead of the step's last one, else null.</summary>
    public static string? ForwardProgress(int percent, string activity)
    {
        percent = Math.Clamp(percent, 0, 100);
        int last;
        do
        {
            last = Volatile.Read(ref s_lastPercent);
            if (percent <= last) return null;
        }
        while (Interlocked.CompareExchange(ref s_lastPercent, percent, last) != last);
        return SetProgress(percent, activity);
    }

    public static string LogIssue(string type, string message) =>
        $"##vso[task.logissue type={type};]{Escape(message)}";

    public static string UploadSummary(string path) => $"##vso[task.uploadsummary]{path}";

    // Logging commands end at a line break; escape as the agent expects.
    private static string Escape(string text) =>
        text.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A").Replace("]", "%5D").Replace(";", "%3B");
}
