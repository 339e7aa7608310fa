using System.Globalization;
using System.Text;

namespace OsRollback.Engine.Database;

/// <summary>
/// Backup file names. The pattern holds tokens {Database}, {Server}, {Timestamp} (UTC,
/// yyyyMMdd_HHmmss), {Stripe} and {Stripes}; the default is
/// <c>{Database}_{Server}_{Timestamp}</c> plus <c>_{Stripe}of{Stripes}</c> when striped, plus
/// the extension (.bak for SQL Server, .sqlite for SQLite). Characters that are not valid in
/// file names on Windows or Linux become '_'.
/// </summary>
public static class BackupFileNaming
{
    public const string DefaultPattern = "{Database}_{Server}_{Timestamp}";
    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    public static string FileName(string pattern, string database, string server, DateTimeOffset timestamp, int stripe, int stripes, string extension)
    {
        var name = new StringBuilder(string.IsNullOrWhiteSpace(pattern) ? DefaultPattern : pattern)
            .Replace("{Database}", Sanitize(database))
            .Replace("{Server}", Sanitize(server))
            .Replace("{Timestamp}", timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture))
            .Replace("{Stripe}", stripe.ToString(CultureInfo.InvariantCulture))
            .Replace("{Stripes}", stripes.ToString(CultureInfo.InvariantCulture))
            .ToString();
        if (stripes > 1 && !pattern.Contains("{Stripe}", StringComparison.Ordinal)) name += $"_{stripe}of{stripes}";
        return Sanitize(name) + extension;
    }

    public static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
            builder.Append(ch < 32 || "<>:\"/\\|?*'[];".Contains(ch) ? '_' : ch);
        var result = builder.ToString().Trim(' ', '.');
        return result.Length == 0 ? "_" : result;
    }

    /// <summary>Joins a folder and a file name with the separator of the machine that writes the file.</summary>
    public static string Combine(string folder, string fileName, char separator) =>
        folder.Length == 0 ? fileName :
        folder.EndsWith('/') || folder.EndsWith('\\') ? folder + fileName : folder + separator + fileName;
}
