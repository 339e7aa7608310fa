using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// The data capability of each provider (<see cref="ITableData"/>): what the compare, export and
/// import of rows ask an engine for, checked at the provider, where the engine SQL now lives.
/// </summary>
public sealed class TableDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly ITableData SqlServer = DatabaseProviders.Default.For(DatabaseEngineKind.SqlServer).TableData;
    private static readonly ITableData Sqlite = DatabaseProviders.Default.For(DatabaseEngineKind.Sqlite).TableData;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sql_server_statements_parse_with_names_that_need_quoting()
    {
        const string table = "OSUSR_X_Odd ]\"name";
        var statements = new List<string>
        {
            SqlServer.IdentityInsert("dbo", table, on: true)!,
            SqlServer.IdentityInsert(null, table, on: false)!,
            SqlServer.DropIndex("IX ]1", null, table),
            SqlServer.SelectOrdered(null, table, ["CODE ]", "ID", "V"], [new KeyColumn("CODE ]", "nvarchar"), new KeyColumn("ID", "bigint", IsIdentity: true)]),
            SqlServer.BeginTransaction + "\n" + string.Join("\n", SqlServer.DropColumn(null, table, "COL 'x]", 1)) + "\n" + SqlServer.CommitTransaction,
        };
        foreach (var statement in statements) TSql.AssertParses(statement);
        Assert.Equal("SET IDENTITY_INSERT [dbo].[OSUSR_X_Odd ]]\"name] ON", statements[0]);
        Assert.EndsWith("ORDER BY [CODE ]]] COLLATE Latin1_General_BIN2, [ID]", statements[3]);
    }

    [Fact]
    public void Sql_server_literals_parse_for_every_value_a_delta_carries()
    {
        object?[] values = [null, DBNull.Value, "it's", 42L, 1.5, double.NaN, 12.50m, true, new DateTime(2026, 2, 1, 12, 0, 0), new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.FromHours(2)),
            TimeSpan.FromMinutes(90), Guid.NewGuid(), new byte[] { 0, 255 }];
        foreach (var value in values) TSql.AssertParses($"SELECT {SqlServer.Literal(value)} AS v");
        Assert.Equal("N'it''s'", SqlServer.Literal("it's"));
        Assert.Equal("'it''s'", Sqlite.Literal("it's"));
        Assert.Equal("X'00FF'", Sqlite.Literal(new byte[] { 0, 255 }));
    }

    [Fact]
    public void Only_sqlite_writes_explicit_keys_without_identity_insert_and_compares_sets_itself()
    {
        Assert.Null(Sqlite.IdentityInsert(null, "OSUSR_X_T", on: true));
        Assert.NotNull(Sqlite.SetDifference);
        Assert.Null(SqlServer.SetDifference);
    }

    [Fact]
    public void A_sqlite_backup_is_read_in_place_and_a_sql_server_backup_must_be_restored()
    {
        var file = _dir.File("point.db");
        Assert.Equal(Path.GetFullPath(file), Assert.IsType<SqliteTarget>(Sqlite.BackupAsDatabase(file)).Path);
        Assert.Null(SqlServer.BackupAsDatabase("/var/opt/mssql/backup/outsystems.bak"));
        Assert.True(Sqlite.BackupsAreLocalFiles);
        Assert.False(SqlServer.BackupsAreLocalFiles);
    }

    [Fact]
    public void A_sqlite_file_reached_by_another_path_is_the_same_database()
    {
        var file = _dir.File("platform.db");
        SqliteFile.Execute(file, "CREATE TABLE T (ID INTEGER PRIMARY KEY)");
        var target = new SqliteTarget(file);
        Assert.True(Sqlite.IsSameDatabase(target, file));
        Assert.False(Sqlite.IsSameDatabase(target, _dir.File("other.db")));
        if (!OperatingSystem.IsWindows()) // creating symbolic links needs a privilege there
        {
            var link = _dir.File("platform-link.db");
            File.CreateSymbolicLink(link, file);
            Assert.True(Sqlite.IsSameDatabase(target, link));
        }
        Assert.True(SqlServer.IsSameDatabase(new SqlServerTarget("SQL01", "outsystems"), "sql01\\OutSystems"));
        Assert.False(SqlServer.IsSameDatabase(new SqlServerTarget("sql01", "outsystems"), "sql02\\outsystems"));
    }

    [Fact]
    public void A_read_only_sqlite_connection_never_creates_the_file()
    {
        var missing = _dir.File("missing.db");
        var ex = Assert.Throws<OsRollbackException>(() => Sqlite.OpenReadOnly(new SqliteTarget(missing)));
        Assert.Equal("DatabaseFileNotFound", ex.ErrorId);
        Assert.False(File.Exists(missing));
    }
}
