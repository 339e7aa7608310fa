using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OsRollback.Engine.Tests.Support;

/// <summary>Direct SQL on a SQLite file, without pooling (so no handle stays open between steps of a test).</summary>
public static class SqliteFile
{
    public static void Execute(string path, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text.</summary>
    public static string[] Column(string path, string sql)
    {
        using var c = OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values.ToArray();
    }

    /// <summary>The first column of the first row, read-only.</summary>
    public static long Scalar(string path, string sql)
    {
        using var c = OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        c.Open();
        return c;
    }
}
