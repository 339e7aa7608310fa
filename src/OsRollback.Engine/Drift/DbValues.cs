using System.Data.SqlTypes;
using System.Globalization;
using System.Text;

namespace OsRollback.Engine.Drift;

/// <summary>Value equality and key ordering that match how SQLite (BINARY) and SQL Server (BIN2) order keys.</summary>
internal static class DbValues
{
    public static object? Normalize(object? value) => value is DBNull ? null : value;

    public static bool AreEqual(object? a, object? b)
    {
        a = Normalize(a); b = Normalize(b);
        if (a is null || b is null) return a is null && b is null;
        if (a.GetType() == b.GetType())
            return a is byte[] x ? x.AsSpan().SequenceEqual((byte[])b) : a.Equals(b);
        if (IsNumber(a) && IsNumber(b))
        {
            if (IsIntegral(a) && IsIntegral(b)) return Convert.ToInt64(a, CultureInfo.InvariantCulture) == Convert.ToInt64(b, CultureInfo.InvariantCulture);
            return Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture);
        }
        return false;
    }

    public static int CompareKey(object? a, object? b)
    {
        a = Normalize(a); b = Normalize(b);
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        var ra = Rank(a); var rb = Rank(b);
        if (ra != rb) return ra.CompareTo(rb);
        switch (a)
        {
            case string s: return CompareCodePoints(s, (string)b);
            case byte[] x:
                var y = (byte[])b;
                var c = x.AsSpan().SequenceCompareTo(y);
                return c;
            case Guid g: return new SqlGuid(g).CompareTo(new SqlGuid((Guid)b));
        }
        if (IsNumber(a))
        {
            if (IsIntegral(a) && IsIntegral(b)) return Convert.ToInt64(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, CultureInfo.InvariantCulture));
            if (a is decimal || b is decimal)
                return Convert.ToDecimal(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture));
            return Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture));
        }
        return a is IComparable ca && a.GetType() == b.GetType() ? ca.CompareTo(b) : string.CompareOrdinal(a.ToString(), b.ToString());
    }

    // SQLite orders NULL < numbers < text < blobs; other types only occur on SQL Server, where a key column has one type.
    private static int Rank(object v) => v switch
    {
        _ when IsNumber(v) => 1,
        string => 2,
        byte[] => 3,
        _ => 4,
    };

    /// <summary>Unicode code point order (= UTF-8 byte order, SQLite BINARY; = SQL Server BIN2 on nvarchar).</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i]; var y = b[i];
            if (x == y) continue;
            // Surrogates (U+10000 and up) sort after U+E000..U+FFFF in code point order.
            var fx = char.IsSurrogate(x) ? x + 0x2000 : x >= 0xE000 ? x - 0x800 : x;
            var fy = char.IsSurrogate(y) ? y + 0x2000 : y >= 0xE000 ? y - 0x800 : y;
            return fx.CompareTo(fy);
        }
        return a.Length.CompareTo(b.Length);
    }

    public static bool IsNumber(object v) => v is long or int or short or byte or sbyte or ushort or uint or ulong or decimal or double or float or bool;
    private static bool IsIntegral(object v) => v is long or int or short or byte or sbyte or ushort or uint or bool;

    /// <summary>A value as a DBA reads it in a key: 42, 'text', 0x0A0B, NULL.</summary>
    public static string Display(object? value) => Normalize(value) switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''") + "'",
        byte[] b => "0x" + Convert.ToHexString(b),
        DateTime d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "'",
        Guid g => "'" + g + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    public static string KeyText(IReadOnlyList<string> columns, object?[] values)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(columns[i]).Append('=').Append(Display(values[i]));
        }
        return sb.ToString();
    }

    /// <summary>A date from a created/updated column (DateTime on SQL Server, text on SQLite).</summary>
    public static DateTime? AsDateTime(object? value) => Normalize(value) switch
    {
        DateTime d => d,
        DateTimeOffset o => o.UtcDateTime,
        string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        _ => null,
    };
}
