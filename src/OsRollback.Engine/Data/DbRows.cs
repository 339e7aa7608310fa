using System.Data.Common;

namespace OsRollback.Engine.Data;

/// <summary>Runs a read-only query on an open connection and hands each row to a callback.</summary>
public static class DbRows
{
    public static void ForEach(DbConnection connection, string sql, Action<DbDataReader> row, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        using var reader = command.ExecuteReader();
        while (reader.Read()) row(reader);
    }
}
