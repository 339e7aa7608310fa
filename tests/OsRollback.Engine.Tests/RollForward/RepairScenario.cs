using System.Security.Cryptography;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.RollForward;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.RollForward;

/// <summary>
/// Production after a LifeTime rollback of Orders 1.2.0: OSUSR_ORD_ORDER still has DISCOUNT_CODE,
/// and 1.2.0 wrote DISC-ERR into some rows; a repair script clears them, a check finds them.
/// </summary>
public sealed class RepairScenario : IDisposable
{
    public const string Fix = "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';\n";
    public const string Check = "SELECT ID, DISCOUNT_CODE FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';\n";

    private readonly TempDirectory _temp = new();

    public RepairScenario()
    {
        Production = _temp.File("production.db");
        SqliteFile.Execute(Production, """
            CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL, VERSION_ID INTEGER);
            INSERT INTO OSSYS_ESPACE VALUES (1, 'Orders', 'k-orders', 1, 10);
            CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY AUTOINCREMENT, CUSTOMER TEXT NOT NULL, TOTAL NUMERIC NOT NULL, DISCOUNT_CODE TEXT);
            CREATE TABLE OSUSR_ORD_AUDIT (ID INTEGER PRIMARY KEY AUTOINCREMENT, ORDER_ID INTEGER, NOTE TEXT);
            INSERT INTO OSUSR_ORD_ORDER (CUSTOMER, TOTAL, DISCOUNT_CODE) VALUES
              ('ana', 10, NULL), ('bo', 20, 'DISC-ERR'), ('cy', 30, 'SPRING'), ('di', 40, 'DISC-ERR'), ('ed', 50, NULL);
            """);
        Catalog = _temp.File("catalog");
    }

    public string Production { get; }
    public string Catalog { get; }
    public SqliteTarget Target => new(Production);

    public RepairFiles Files(string script = Fix, string check = Check)
    {
        var name = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script + check)))[..8];
        System.IO.File.WriteAllText(_temp.File($"{name}.sql"), script);
        System.IO.File.WriteAllText(_temp.File($"{name}.check.sql"), check);
        return RepairFiles.Read(_temp.File($"{name}.sql"), _temp.File($"{name}.check.sql"));
    }

    public string File(string name) => _temp.File(name);

    public DataRepairOptions Options(bool force = false, DatabaseTarget? parallel = null, bool keep = false) =>
        new() { CatalogHome = Catalog, Force = force, ParallelDatabase = parallel, KeepParallelDatabase = keep };

    public long Scalar(string sql) => SqliteFile.Scalar(Production, sql);

    /// <summary>SHA-256 of every application table's rows, in key order: equal hashes mean equal data.</summary>
    public string ApplicationTablesHash(string? path = null)
    {
        var lines = new List<string>();
        foreach (var table in SqliteFile.Column(path ?? Production, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSUSR%' ORDER BY name"))
        {
            var columns = SqliteFile.Column(path ?? Production, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid");
            lines.AddRange(SqliteFile.Column(path ?? Production, $"SELECT '{table}|' || {string.Join(" || '|' || ", columns.Select(c => $"quote({c})"))} FROM {table} ORDER BY ID"));
        }
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    public static string FileHash(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path)));
    }

    public void Dispose() => _temp.Dispose();

    public static OsRollbackException Refused(Action action) => Assert.Throws<OsRollbackException>(action);
}
