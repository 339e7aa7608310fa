using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// The after-rollback situation, on SQLite files: a production database with OSSYS_* rows
/// describing its OSUSR_* tables; a rollback point (schema snapshot + backup copy); a "deploy"
/// that adds a table, a column and an index and writes rows; the parallel database (copy of
/// production before the rollback); and the "restore" of production to the backup.
/// </summary>
public sealed class DriftScenario : IDisposable
{
    public const string Customer = "OSUSR_ABC_CUSTOMER";
    public const string Order = "OSUSR_ABC_ORDER";
    public const string Voucher = "OSUSR_ABC_VOUCHER";
    public const string AuditLog = "OSUSR_ABC_AUDITLOG";
    /// <summary>A table whose name has spaces, quotes and brackets.</summary>
    public const string Odd = "OSUSR_ABC_Odd \"Name\" [x]";
    public const string OddColumn = "Qty ]\"' x";

    private readonly TempDirectory _dir = new();

    public DriftScenario()
    {
        Production = _dir.File("production.db");
        Backup = _dir.File("pre-deploy-backup.db");
        Parallel = _dir.File("parallel.db");
        RollbackPoint = Path.Combine(_dir.Path, "rollback-point");
        Directory.CreateDirectory(RollbackPoint);

        using (var db = Open(Production))
        {
            Exec(db, """"
                CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL DEFAULT 1);
                CREATE TABLE OSSYS_ENTITY (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, PHYSICAL_TABLE_NAME TEXT, ESPACE_ID INTEGER, IS_ACTIVE INTEGER NOT NULL, IS_SYSTEM INTEGER NOT NULL DEFAULT 0, IS_EXTERNAL INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE OSSYS_ENTITY_ATTR (ID INTEGER PRIMARY KEY, ENTITY_ID INTEGER NOT NULL, NAME TEXT NOT NULL, TYPE TEXT, IS_AUTONUMBER INTEGER NOT NULL DEFAULT 0, IS_ACTIVE INTEGER NOT NULL, DATABASE_NAME TEXT);
                INSERT INTO OSSYS_ESPACE (ID, NAME) VALUES (1, 'Sales_CS'), (2, 'Audit_CS');
                CREATE TABLE OSUSR_ABC_CUSTOMER (ID INTEGER PRIMARY KEY, NAME NVARCHAR(50) NOT NULL, EMAIL NVARCHAR(250), CREATEDON DATETIME, UPDATEDON DATETIME);
                CREATE TABLE OSUSR_ABC_ORDER (ID INTEGER PRIMARY KEY, CUSTOMERID INTEGER REFERENCES OSUSR_ABC_CUSTOMER (ID), AMOUNT DECIMAL(37,8), STATUS NVARCHAR(20), CREATEDON DATETIME);
                CREATE TABLE OSUSR_ABC_AUDITLOG (MESSAGE TEXT, LOGGEDAT DATETIME);
                CREATE TABLE "OSUSR_ABC_Odd ""Name"" [x]" ("Key ""K""" TEXT PRIMARY KEY, "Qty ]""' x" INTEGER, DATA BLOB) WITHOUT ROWID;
                INSERT INTO OSSYS_ENTITY (ID, NAME, PHYSICAL_TABLE_NAME, ESPACE_ID, IS_ACTIVE) VALUES
                  (10, 'Customer', 'OSUSR_ABC_CUSTOMER', 1, 1), (11, 'Order', 'OSUSR_ABC_ORDER', 1, 1), (12, 'AuditLog', 'OSUSR_ABC_AUDITLOG', 2, 1), (13, 'Odd', 'OSUSR_ABC_Odd "Name" [x]', 1, 1);
                INSERT INTO OSSYS_ENTITY_ATTR (ENTITY_ID, NAME, IS_ACTIVE, DATABASE_NAME) VALUES
                  (10, 'Id', 1, 'ID'), (10, 'Name', 1, 'NAME'), (10, 'Email', 1, 'EMAIL'), (10, 'CreatedOn', 1, 'CREATEDON'), (10, 'UpdatedOn', 1, 'UPDATEDON'),
                  (11, 'Id', 1, 'ID'), (11, 'CustomerId', 1, 'CUSTOMERID'), (11, 'Amount', 1, 'AMOUNT'), (11, 'Status', 1, 'STATUS'), (11, 'CreatedOn', 1, 'CREATEDON'),
                  (13, 'Quantity', 1, 'Qty ]"'' x');
                """");
            for (var i = 1; i <= 20; i++)
                Exec(db, "INSERT INTO OSUSR_ABC_CUSTOMER (ID, NAME, EMAIL, CREATEDON, UPDATEDON) VALUES ($i, $n, $e, '2026-01-01 10:00:00', '2026-01-01 10:00:00')",
                    ("$i", i), ("$n", $"Customer {i}"), ("$e", $"c{i}@example.com"));
            for (var i = 1; i <= 30; i++)
                Exec(db, "INSERT INTO OSUSR_ABC_ORDER (ID, CUSTOMERID, AMOUNT, STATUS, CREATEDON) VALUES ($i, $c, $a, 'Open', '2026-01-02 10:00:00')",
                    ("$i", i), ("$c", 1 + i % 20), ("$a", i * 1.25));
            Exec(db, "INSERT INTO OSUSR_ABC_AUDITLOG VALUES ('started', '2026-01-01 09:00:00')");
            Exec(db, "INSERT INTO \"OSUSR_ABC_Odd \"\"Name\"\" [x]\" VALUES ('a''b', 1, x'00FF'), ('c]d', 2, NULL)");
        }

        // The rollback point: schema snapshot and the pre-deploy backup.
        Snapshot = SchemaSnapshotReader.Capture(new SqliteTarget(Production), null, NullReporter.Instance);
        SchemaSnapshotFile.Write(Path.Combine(RollbackPoint, SchemaSnapshotFile.DefaultFileName), Snapshot);
        Copy(Production, Backup);

        // The bad deploy adds a table, a column and an index, and users write rows.
        using (var db = Open(Production))
        {
            Exec(db, """"
                ALTER TABLE OSUSR_ABC_CUSTOMER ADD COLUMN LOYALTYTIER NVARCHAR(20);
                CREATE TABLE OSUSR_ABC_VOUCHER (ID INTEGER PRIMARY KEY, CODE NVARCHAR(30) NOT NULL, CUSTOMERID INTEGER);
                CREATE INDEX IX_ORDER_STATUS ON OSUSR_ABC_ORDER (STATUS);
                INSERT INTO OSSYS_ENTITY (ID, NAME, PHYSICAL_TABLE_NAME, ESPACE_ID, IS_ACTIVE) VALUES (14, 'Voucher', 'OSUSR_ABC_VOUCHER', 1, 1);
                INSERT INTO OSSYS_ENTITY_ATTR (ENTITY_ID, NAME, IS_ACTIVE, DATABASE_NAME) VALUES (10, 'LoyaltyTier', 1, 'LOYALTYTIER'), (14, 'Id', 1, 'ID'), (14, 'Code', 1, 'CODE');
                INSERT INTO OSUSR_ABC_CUSTOMER (ID, NAME, EMAIL, CREATEDON, UPDATEDON, LOYALTYTIER) VALUES
                  (21, 'New 21', 'n21@example.com', '2026-02-01 12:00:00', '2026-02-01 12:00:00', 'Gold'),
                  (22, 'New ''22''', NULL, '2026-02-01 12:05:00', '2026-02-01 12:05:00', NULL),
                  (23, 'New 23', 'n23@example.com', '2026-02-01 12:10:00', '2026-02-01 12:10:00', NULL);
                UPDATE OSUSR_ABC_CUSTOMER SET NAME = 'Renamed 5', UPDATEDON = '2026-02-01 13:00:00' WHERE ID = 5;
                INSERT INTO OSUSR_ABC_ORDER (ID, CUSTOMERID, AMOUNT, STATUS, CREATEDON) VALUES (31, 21, 99.5, 'Open', '2026-02-01 12:01:00'), (32, 22, 10, 'Paid', '2026-02-01 12:06:00');
                DELETE FROM OSUSR_ABC_ORDER WHERE ID = 7;
                INSERT INTO OSUSR_ABC_VOUCHER (ID, CODE, CUSTOMERID) VALUES (1, 'V1', 21), (2, 'V2', 22), (3, 'V3', NULL);
                INSERT INTO OSUSR_ABC_AUDITLOG VALUES ('deployed', '2026-02-01 11:00:00');
                UPDATE "OSUSR_ABC_Odd ""Name"" [x]" SET "Qty ]""' x" = 5 WHERE "Key ""K""" = 'a''b';
                INSERT INTO "OSUSR_ABC_Odd ""Name"" [x]" VALUES ('e"f [g]', 3, x'0102');
                """");
        }
        // The parallel database: production as it was just before the rollback.
        Copy(Production, Parallel);
        // The rollback restores the pre-deploy backup over production.
        SqliteConnection.ClearAllPools();
        System.IO.File.Copy(Backup, Production, overwrite: true);
    }

    public string Production { get; }
    public string Backup { get; }
    public string Parallel { get; }
    public string RollbackPoint { get; }
    public SchemaSnapshot Snapshot { get; }
    public string Directory_ => _dir.Path;
    public string File(string name) => _dir.File(name);

    public SqliteTarget ProductionTarget => new(Production);
    public SqliteTarget ParallelTarget => new(Parallel);

    public static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = true }.ConnectionString);
        c.Open();
        return c;
    }

    public static void Exec(SqliteConnection db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string path, string sql)
    {
        using var db = Open(path);
        using var command = db.CreateCommand();
        command.CommandText = sql;
        var v = command.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static void Copy(string from, string to)
    {
        using var source = Open(from);
        using var destination = Open(to);
        source.BackupDatabase(destination);
    }

    public void Dispose() => _dir.Dispose();
}
