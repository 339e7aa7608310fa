using System.Buffers.Binary;
using System.Text;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// The first 100 bytes of a SQLite file (https://www.sqlite.org/fileformat2.html#the_database_header):
/// magic, page size (offset 16) and the in-header page count (offset 28, valid when the change
/// counter at 24 equals the version-valid-for number at 92). Enough for a check that reads no pages.
/// </summary>
public sealed record SqliteHeader(bool HasMagic, long PageSize, long PageCount, bool PageCountValid)
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public long ExpectedFileSize => PageSize * PageCount;

    public static SqliteHeader Read(string path)
    {
        var header = new byte[100];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return new SqliteHeader(false, 0, 0, false);
        long pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16, 2));
        if (pageSize == 1) pageSize = 65536;
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28, 4));
        var valid = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24, 4)) == BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92, 4)) && pageCount > 0;
        return new SqliteHeader(true, pageSize, pageCount, valid);
    }
}
