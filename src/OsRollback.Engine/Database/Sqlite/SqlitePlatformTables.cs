using System.Data.Common;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>SQLite holds NEXT_RUN as text and gets back exactly the text it held; reading opens the file read-only, so a plan never creates or changes it.</summary>
internal sealed class SqlitePlatformTables : PlatformTables
{
    protected override object NextRunValue(string text) => text;

    protected override DbConnection OpenForReading(DatabaseTarget target) => SqliteProvider.File(target).OpenConnection(SqliteOpenMode.ReadOnly);
}
