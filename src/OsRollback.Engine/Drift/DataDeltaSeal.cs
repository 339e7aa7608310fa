using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>The seal of a delta (format 3): a SHA-256 digest over the header and every row line, and the row count.</summary>
public sealed class DataDeltaSealInfo
{
    public string Algorithm { get; set; } = DataDeltaSeal.Algorithm;
    /// <summary>Lower-case hex SHA-256 of the canonical header line (without the seal) and of each row line, each followed by "\n".</summary>
    public string Digest { get; set; } = "";
    public long Rows { get; set; }
}

/// <summary>
/// Computes and checks the seal of a delta while its lines stream past, in constant memory. The
/// header is hashed in a canonical form (parsed, the seal removed, written back without spaces) so
/// that the seal can sit inside the header it covers; each row line is hashed as it is in the file.
/// A line ending rewritten (LF to CRLF) does not break the seal; any other edit does.
/// </summary>
public sealed class DataDeltaSeal : IDisposable
{
    public const string Algorithm = "SHA256";
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _rows;

    /// <summary>Starts a seal with the header line as written (with or without its seal).</summary>
    public DataDeltaSeal(string headerLine)
    {
        var header = DataDeltaFile.Parse(headerLine);
        header.Remove("seal");
        Append(header.ToString(Newtonsoft.Json.Formatting.None));
    }

    public void AddRow(string line)
    {
        Append(line);
        _rows++;
    }

    /// <summary>Adds one row line as the bytes in the file (without its line end).</summary>
    public void AddRow(ReadOnlySpan<byte> line)
    {
        _hash.AppendData(line);
        _hash.AppendData(NewLine);
        _rows++;
    }

    /// <summary>Adds row lines as bytes (a part file written with "\n" line ends), counting its lines.</summary>
    public void AddRows(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        foreach (var b in bytes) if (b == (byte)'\n') _rows++;
    }

    public DataDeltaSealInfo Finish() => new() { Digest = Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant(), Rows = _rows };

    /// <summary>Throws DataDeltaTampered unless what was read matches the seal the header carries.</summary>
    public void Verify(DataDeltaSealInfo? expected, string path)
    {
        var actual = Finish();
        if (expected is null)
            throw Tampered(path, "its header carries no seal although its format version says it is sealed");
        if (!string.Equals(expected.Algorithm, Algorithm, StringComparison.OrdinalIgnoreCase))
            throw Tampered(path, $"its seal uses '{expected.Algorithm}', not {Algorithm}");
        if (expected.Rows != actual.Rows || !string.Equals(expected.Digest, actual.Digest, StringComparison.OrdinalIgnoreCase))
            throw Tampered(path, $"its content no longer matches its seal ({actual.Rows} rows read, {expected.Rows} sealed)");
    }

    internal static OsRollbackException Tampered(string path, string detail) =>
        new("DataDeltaTampered", OsErrorCategory.SecurityError,
            $"The data delta '{path}' was changed after it was exported: {detail}. Nothing was imported.", path,
            "Export the delta again with Export-OsDataDelta and import that file unchanged; to leave rows out, use -Table rather than editing the file.");

    private void Append(string line)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(line));
        _hash.AppendData(NewLine);
    }

    public void Dispose() => _hash.Dispose();
}
