using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Invoke-OsRollback -ReportPath: the report files of a run, copied to the folder the caller chose
/// (a pipeline's artifact folder), whether the run succeeded or failed.
/// </summary>
internal static class RunReportCopy
{
    /// <summary>The absolute folder, checked before anything runs: a path that is a file is refused.</summary>
    public static string CheckFolder(OsCmdlet cmdlet, string path)
    {
        var folder = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (FolderPaths.BlockingFile(folder) is { } file)
        {
            cmdlet.ThrowTerminatingError(OsCmdlet.ToErrorRecord(new OsRollbackException("ReportPathIsFile", OsErrorCategory.InvalidArgument,
                $"-ReportPath '{folder}' cannot be a folder: '{file}' is a file; the report is copied into a folder.", folder,
                "Give -ReportPath a folder (it is created when missing), such as the pipeline's artifact staging folder.")));
        }
        return folder;
    }

    /// <summary>Copies report.json, report.md, report.html and module-graph.svg; the result then names the copies.</summary>
    public static void CopyTo(OsCmdlet cmdlet, RollbackResult result, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var html = Path.ChangeExtension(result.MarkdownReportPath, ".html");
            foreach (var source in new[] { result.ReportPath, result.MarkdownReportPath, html, result.ModuleGraphPath }.OfType<string>().Where(File.Exists))
                File.Copy(source, Path.Combine(folder, Path.GetFileName(source)), overwrite: true);
            result.ReportPath = Path.Combine(folder, Path.GetFileName(result.ReportPath));
            result.MarkdownReportPath = Path.Combine(folder, Path.GetFileName(result.MarkdownReportPath));
            if (result.ModuleGraphPath is { } graph) result.ModuleGraphPath = Path.Combine(folder, Path.GetFileName(graph));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run is over: its outcome matters more than the copy, which stays next to the journal.
            cmdlet.Reporter.Warning($"The report could not be copied to {folder} ({ex.Message}); it is at {result.MarkdownReportPath}.");
        }
    }
}
