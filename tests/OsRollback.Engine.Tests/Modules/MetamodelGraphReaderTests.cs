using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Modules;

public class MetamodelGraphReaderTests
{
    [Theory]
    [InlineData(MetamodelGraphReader.ModulesQuery)]
    [InlineData(MetamodelGraphReader.ReferencesQuery)]
    public void Queries_parse_as_TSql(string sql) => TSql.AssertParses(sql);

    [Fact]
    public void Reads_modules_extensions_applications_and_published_references_from_sqlite()
    {
        using var temp = new TempDirectory();
        var db = new PlatformDatabaseBuilder(temp.File("platform.db"));
        var common = db.Application("Common");
        var orders = db.Application("Orders");
        var retired = db.Application("Retired", active: false);
        db.Extension("PdfExt", common);
        db.ESpace("Common_Lib", common, producers: ("PdfExt", "Extension"));
        db.ESpace("Orders_CS", orders, producers: [("Common_Lib", "eSpace"), ("Ghost_Lib", "eSpace")]);
        db.ESpace("Orders_UI", orders, producers: [("Orders_CS", "eSpace"), ("Orders_UI", "eSpace")]);
        db.ESpace("Loose", null);
        db.ESpace("Deleted", retired, active: false, producers: ("Common_Lib", "eSpace"));
        db.Close();

        var modules = MetamodelGraphReader.Read(new SqliteTarget(db.Path)).ToDictionary(m => m.Name);

        Assert.Equal(["Common_Lib", "Loose", "Orders_CS", "Orders_UI", "PdfExt"], modules.Keys.Order());
        Assert.Equal(ModuleKind.Extension, modules["PdfExt"].Kind);
        Assert.Equal("Orders", modules["Orders_CS"].Application);
        Assert.Null(modules["Loose"].Application);
        Assert.Equal(["Common_Lib", "Ghost_Lib"], modules["Orders_CS"].DependsOn.Order());
        Assert.DoesNotContain("Removed_Long_Ago", modules.Values.SelectMany(m => m.DependsOn));

        var reporter = new RecordingReporter();
        var order = ModuleOrderer.Order(ModuleGraph.Build(modules.Values), reporter: reporter);
        Assert.Equal(["Loose", "PdfExt", "Common_Lib", "Orders_CS", "Orders_UI"], order.Select(e => e.Name));
        Assert.Equal([1, 1, 2, 3, 4], order.Select(e => e.Wave));
        Assert.Equal(["Ghost_Lib"], order.Single(e => e.Name == "Orders_CS").MissingProducers);
        Assert.Contains(reporter.Warnings, w => w.Contains("references itself"));
    }

    [Fact]
    public void A_database_without_the_platform_tables_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.db");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False")) { c.Open(); }
        var ex = Assert.Throws<OsRollbackException>(() => MetamodelGraphReader.Read(new SqliteTarget(path)));
        Assert.Equal("PlatformDatabaseUnreadable", ex.ErrorId);
        Assert.Contains("OSSYS_", ex.RecommendedAction);
    }

    [Fact]
    public void A_missing_sqlite_file_is_not_created()
    {
        using var temp = new TempDirectory();
        var path = temp.File("nope.db");
        var ex = Assert.Throws<OsRollbackException>(() => MetamodelGraphReader.Read(new SqliteTarget(path)));
        Assert.Equal("DatabaseFileNotFound", ex.ErrorId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Unreachable_sql_server_is_a_connection_error_without_the_password()
    {
        var password = new System.Security.SecureString();
        foreach (var ch in "S3cret-Pa55") password.AppendChar(ch);
        var target = new SqlServerTarget("127.0.0.1,1", "outsystems", "deployer", password) { ConnectTimeoutSeconds = 2 };
        var ex = Assert.Throws<OsRollbackException>(() => MetamodelGraphReader.Read(target));
        Assert.Equal("DatabaseUnreachable", ex.ErrorId);
        Assert.Equal(OsErrorCategory.ConnectionError, ex.Category);
        Assert.DoesNotContain("S3cret-Pa55", ex.ToString());
    }
}
