namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>Azure DevOps logging commands, written to standard output when TF_BUILD is set.</summary>
internal static class AzureDevOps
{
    public static bool IsActive => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD"));

    public static string SetProgress(int percent, string activity) =>
        $"##vso[task.setprogress value={Math.Clamp(percent, 0, 100)};]{Escape(activity)}";

    public static string LogIssue(string type, string message) =>
        $"##vso[task.logissue type={type};]{Escape(message)}";

    public static string UploadSummary(string path) => $"##vso[task.uploadsummary]{path}";

    // Logging commands end at a line break; escape as the agent expects.
    private static string Escape(string text) =>
        text.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A").Replace("]", "%5D").Replace(";", "%3B");
}
