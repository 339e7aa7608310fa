using Microsoft.Data.SqlClient;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// The after-rollback scenario on a real SQL Server, when OSROLLBACK_TEST_SQLSERVER holds a
/// connection string (a login that may create and drop databases). Skipped otherwise.
/// </summary>
public sealed class SqlServerLiveTests
{
    private static string? ConnectionString => Environment.GetEnvironmentVariable("OSROLLBACK_TEST_SQLSERVER");

    [SkippableFact]
    public void Snapshot_drift_compare_export_and_import_on_sql_server()
    {
        Skip.IfNot(ConnectionString is { Length: > 0 }, "OSROLLBACK_TEST_SQLSERVER is not set.");
        var builder = new SqlConnectionStringBuilder(ConnectionString);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var production = $"osr_drift_prod_{suffix}";
        var parallel = $"osr_drift_par_{suffix}";
        using var dir = new TempDirectory();
        try
        {
            Exec("master", $"CREATE DATABASE [{production}]; CREATE DATABASE [{parallel}];");
            foreach (var db in new[] { production, parallel })
            {
                Exec(db, """
                    CREATE TABLE OSSYS_ESPACE (ID int PRIMARY KEY, NAME nvarchar(200) NOT NULL);
                    CREATE TABLE OSSYS_ENTITY (ID int PRIMARY KEY, NAME nvarchar(200) NOT NULL, PHYSICAL_TABLE_NAME nvarchar(200), ESPACE_ID int, IS_ACTIVE bit NOT NULL);
                    CREATE TABLE OSSYS_ENTITY_ATTR (ID int IDENTITY PRIMARY KEY, ENTITY_ID int NOT NULL, NAME nvarchar(200) NOT NULL, IS_ACTIVE bit NOT NULL, DATABASE_NAME nvarchar(200));
                    INSERT INTO OSSYS_ESPACE VALUES (1, N'Sales_CS');
                    INSERT INTO OSSYS_ENTITY VALUES (10, N'Customer', N'OSUSR_ABC_CUSTOMER', 1, 1);
                    CREATE TABLE [OSUSR_ABC_CUSTOMER] ([ID] int IDENTITY(1,1) NOT NULL PRIMARY KEY, [NAME] nvarchar(50) NOT NULL DEFAULT (N''), [AMOUNT] decimal(37,8) NOT NULL DEFAULT (0), [CREATEDON] datetime NOT NULL DEFAULT (GETDATE()));
                    CREATE TABLE [OSUSR_ABC_Code ]]x] ([CODE ']]] nvarchar(20) NOT NULL PRIMARY KEY, [V] int NULL);
                    SET IDENTITY_INSERT [OSUSR_ABC_CUSTOMER] ON;
                    INSERT INTO [OSUSR_ABC_CUSTOMER] (ID, NAME, AMOUNT, CREATEDON) VALUES (1, N'One', 1.5, '2026-01-01'), (2, N'Two', 2.5, '2026-01-01');
                    SET IDENTITY_INSERT [OSUSR_ABC_CUSTOMER] OFF;
                    INSERT INTO [OSUSR_ABC_Code ]]x] VALUES (N'a', 1), (N'B', 2);
                    """);
            }
            var prod = Target(production);
            var par = Target(parallel);
            var snapshot = SchemaSnapshotReader.Capture(prod, null, NullReporter.Instance);
            Assert.Equal("Customer", snapshot.FindTable("OSUSR_ABC_CUSTOMER")!.Entity);
            Assert.Equal("ID", snapshot.FindTable("OSUSR_ABC_CUSTOMER")!.IdentityColumn);

            // The bad version, in the parallel database only (production is "restored").
            Exec(parallel, """
                ALTER TABLE [OSUSR_ABC_CUSTOMER] ADD [TIER] nvarchar(20) NULL;
                CREATE TABLE [OSUSR_ABC_VOUCHER] ([ID] int IDENTITY PRIMARY KEY, [CODE] nvarchar(30) NOT NULL);
                INSERT INTO [OSUSR_ABC_CUSTOMER] (NAME, AMOUNT, CREATEDON, TIER) VALUES (N'Three ''3''', 3.25, '2026-02-01', N'Gold');
                UPDATE [OSUSR_ABC_CUSTOMER] SET NAME = N'Deux' WHERE ID = 2;
                INSERT INTO [OSUSR_ABC_Code ]]x] VALUES (N'c', 3);
                """);
            var drift = SchemaDriftAnalyzer.Compare(snapshot, par, null, NullReporter.Instance);
            Assert.Contains(drift, i => i.Kind == SchemaDriftKind.TableAdded && i.Table == "OSUSR_ABC_VOUCHER");
            Assert.Contains(drift, i => i.Kind == SchemaDriftKind.ColumnAdded && i.Column == "TIER" && i.RowsWithData == 1);

            var tables = new DataComparer(prod, par, null, null).Compare().ToList();
            var customer = tables.Single(t => t.Table == "OSUSR_ABC_CUSTOMER");
            Assert.Equal((1, 1, 0), (customer.Inserted, customer.Changed, customer.Deleted));
            Assert.Equal(1, tables.Single(t => t.Table == "OSUSR_ABC_Code ]x").Inserted);

            var delta = DataDeltaExporter.Export(prod, par, dir.File("delta.jsonl"), null, NullReporter.Instance);
            // The importer takes and verifies a copy-only safety backup on the server first.
            var results = DataDeltaImporter.Import(prod, delta.Path, null, NullReporter.Instance);
            Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.SafetyBackupPath)));
            Assert.All(new DataComparer(prod, par, null, null).Compare().Where(t => t.Status == TableCompareStatus.Compared),
                t => Assert.False(t.HasDifferences, t.Table));
        }
        finally
        {
            SqlConnection.ClearAllPools();
            Exec("master", $"IF DB_ID(N'{production}') IS NOT NULL BEGIN ALTER DATABASE [{production}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{production}]; END; " +
                           $"IF DB_ID(N'{parallel}') IS NOT NULL BEGIN ALTER DATABASE [{parallel}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{parallel}]; END;");
        }

        SqlServerTarget Target(string database)
        {
            var password = new System.Security.SecureString();
            foreach (var ch in builder.Password) password.AppendChar(ch);
            return new SqlServerTarget(builder.DataSource, database, builder.IntegratedSecurity ? null : builder.UserID, builder.IntegratedSecurity ? null : password)
            {
                TrustServerCertificate = builder.TrustServerCertificate,
                Encrypt = builder.Encrypt != SqlConnectionEncryptOption.Optional,
            };
        }

        void Exec(string database, string sql)
        {
            var b = new SqlConnectionStringBuilder(ConnectionString) { InitialCatalog = database };
            using var connection = new SqlConnection(b.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
