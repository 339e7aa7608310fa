using System.Security.Cryptography;
using System.Text;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// The two files of a repair, read once: the script and the checks, with the SHA-256 of their
/// bytes. The digests bind a rehearsal to the repair it approves: a changed byte is another repair.
/// </summary>
public sealed class RepairFiles
{
    private RepairFiles(string scriptPath, string script, string scriptSha256, string checkPath, string check, string checkSha256)
    {
        ScriptPath = scriptPath;
        Script = script;
        ScriptSha256 = scriptSha256;
        CheckPath = checkPath;
        Check = check;
        CheckSha256 = checkSha256;
    }

    public string ScriptPath { get; }
    public string Script { get; }
    public string ScriptSha256 { get; }
    public string CheckPath { get; }
    public string Check { get; }
    public string CheckSha256 { get; }

    public static RepairFiles Read(string scriptPath, string checkPath)
    {
        var (script, scriptSha) = ReadOne(scriptPath, "RepairScript", "-Script", "the repair script (the UPDATE/INSERT/DELETE statements that fix the data)");
        var (check, checkSha) = ReadOne(checkPath, "RepairCheck", "-Check", "the check (queries that return the rows still wrong)");
        return new RepairFiles(Path.GetFullPath(scriptPath), script, scriptSha, Path.GetFullPath(checkPath), check, checkSha);
    }

    private static (string Text, string Sha256) ReadOne(string path, string idPrefix, string parameter, string what)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OsRollbackException($"{idPrefix}NotFound", OsErrorCategory.ObjectNotFound, $"The file '{full}' given with {parameter} does not exist.", full,
                $"Give the path of {what} with {parameter}; nothing was changed.");
        byte[] bytes;
        string text;
        try
        {
            bytes = File.ReadAllBytes(full);
            text = new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new OsRollbackException($"{idPrefix}Unreadable", OsErrorCategory.ReadError, $"The file '{full}' given with {parameter} cannot be read as UTF-8 text: {ex.Message}", full,
                "Check that this account can read it and that it is saved as UTF-8; nothing was changed.", ex);
        }
        if (string.IsNullOrWhiteSpace(StripComments(text)))
            throw new OsRollbackException($"{idPrefix}Empty", OsErrorCategory.InvalidData, $"The file '{full}' given with {parameter} holds no SQL statement.", full,
                $"Write {what} into it; nothing was changed.");
        return (text, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }

    /// <summary>The text without -- and /* */ comments (string literals kept), to tell an empty file from a commented one.</summary>
    internal static string StripComments(string sql)
    {
        var result = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                var end = sql.IndexOf('\'', i + 1);
                end = end < 0 ? sql.Length - 1 : end;
                result.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 1;
            }
            else
            {
                result.Append(sql[i]);
            }
        }
        return result.ToString();
    }
}
