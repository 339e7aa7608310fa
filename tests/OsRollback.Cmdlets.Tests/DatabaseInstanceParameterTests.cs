using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;

namespace OsRollback.Cmdlets.Tests;

/// <summary>Every form a DBA gives -SqlInstance, converted the way parameter binding converts it (LanguagePrimitives).</summary>
public class DatabaseInstanceParameterTests
{
    private static DatabaseInstanceParameter Bind(object value) => LanguagePrimitives.ConvertTo<DatabaseInstanceParameter>(value);

    [Theory]
    [InlineData("sql01")]
    [InlineData("sql01.corp.example")]
    [InlineData(@"sql01\OUTSYSTEMS")]
    [InlineData("sql01,1433")]
    [InlineData("sql01:1433")]
    [InlineData("tcp:sql01,1433")]
    [InlineData(".")]
    [InlineData(@".\SQLEXPRESS")]
    [InlineData("(local)")]
    [InlineData(@"(localdb)\MSSQLLocalDB")]
    [InlineData("10.0.0.5")]
    public void An_instance_name_is_kept_as_given(string name)
    {
        var instance = Bind(name);

        Assert.Equal(name, instance.SqlInstance);
        Assert.False(instance.IsSqlite);
        Assert.False(instance.IsConnectionString);
        Assert.Null(instance.Database);
        Assert.Equal(name, instance.ToString());
    }

    [Fact]
    public void Brackets_around_a_name_are_removed()
    {
        Assert.Equal(@"sql01\OS", Bind(@"[sql01\OS]").SqlInstance);
    }

    [Theory]
    [InlineData("sql 01")]
    [InlineData(@"sql01\a\b")]
    [InlineData("sql01,99999999")]
    [InlineData("   ")]
    public void A_text_that_is_no_instance_fails_at_binding_with_the_reason(string text)
    {
        var error = Assert.ThrowsAny<PSInvalidCastException>(() => Bind(text));

        Assert.Contains("instance", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_connection_string_gives_server_database_login_and_options_but_never_shows_the_password()
    {
        var instance = Bind("Server=tcp:sql01,1433;Database=OSPRD;User ID=osadmin;Password=S3cret!pw;TrustServerCertificate=True;Connect Timeout=40");

        Assert.True(instance.IsConnectionString);
        Assert.Equal("tcp:sql01,1433", instance.SqlInstance);
        Assert.Equal("OSPRD", instance.Database);
        Assert.Equal("osadmin", instance.UserName);
        Assert.NotNull(instance.Password);
        Assert.Equal("S3cret!pw".Length, instance.Password!.Length);
        Assert.True(instance.TrustServerCertificate);
        Assert.Equal(40, instance.ConnectTimeout);
        Assert.DoesNotContain("S3cret", instance.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", string.Join(" ", PSObject.AsPSObject(instance).Properties.Where(p => p.Name != nameof(instance.InputObject)).Select(p => p.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_with_integrated_security_has_no_login()
    {
        var instance = Bind("Data Source=sql01\\OS;Initial Catalog=outsystems;Integrated Security=SSPI");

        Assert.Equal(@"sql01\OS", instance.SqlInstance);
        Assert.Equal("outsystems", instance.Database);
        Assert.Null(instance.UserName);
        Assert.Null(instance.Password);
    }

    [Fact]
    public void A_malformed_connection_string_fails_without_repeating_its_text()
    {
        var error = Assert.ThrowsAny<PSInvalidCastException>(() => Bind("Server=sql01;Password='unclosed"));

        Assert.DoesNotContain("unclosed", error.InnerException?.Message ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./platform.db")]
    [InlineData("/var/lib/os/platform.sqlite")]
    [InlineData(@"C:\data\platform.db")]
    [InlineData("platform.sqlite3")]
    public void A_sqlite_path_is_a_sqlite_database(string path)
    {
        var instance = Bind(path);

        Assert.True(instance.IsSqlite);
        Assert.Equal(path, instance.SqlitePath);
        Assert.Null(instance.SqlInstance);
    }

    [Fact]
    public void A_sqlite_connection_string_and_a_FileInfo_are_sqlite_databases()
    {
        Assert.Equal("/tmp/p.db", Bind("Data Source=/tmp/p.db").SqlitePath);
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), "platform.db"));
        Assert.Equal(file.FullName, Bind(file).SqlitePath);
    }

    [Fact]
    public void A_dbatools_object_with_SqlInstance_and_Database_names_both()
    {
        var row = PSObject.AsPSObject(new { SqlInstance = @"sql01\OS", Database = "outsystems", ComputerName = "sql01", InstanceName = "OS" });

        var instance = Bind(row);

        Assert.Equal(@"sql01\OS", instance.SqlInstance);
        Assert.Equal("outsystems", instance.Database);
        Assert.Same(row.BaseObject, instance.InputObject is PSObject wrapped ? wrapped.BaseObject : instance.InputObject);
    }

    [Fact]
    public void A_custom_object_piped_from_a_csv_row_binds()
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("SqlInstance", "sql02"));

        Assert.Equal("sql02", Bind(row).SqlInstance);
    }

    [Theory]
    [InlineData("sql01", "MSSQLSERVER", "sql01")]
    [InlineData("sql01", "OS", @"sql01\OS")]
    public void ComputerName_and_InstanceName_name_an_instance(string computer, string instanceName, string expected)
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("ComputerName", computer));
        row.Properties.Add(new PSNoteProperty("InstanceName", instanceName));

        Assert.Equal(expected, Bind(row).SqlInstance);
    }

    [Fact]
    public void An_SMO_server_names_its_instance_by_DomainInstanceName_or_Name()
    {
        var server = new PSObject();
        server.TypeNames.Insert(0, "Microsoft.SqlServer.Management.Smo.Server");
        server.Properties.Add(new PSNoteProperty("Name", @"sql01\OS"));

        Assert.Equal(@"sql01\OS", Bind(server).SqlInstance);

        server.Properties.Add(new PSNoteProperty("DomainInstanceName", @"sql01.corp\OS"));
        Assert.Equal(@"sql01.corp\OS", Bind(server).SqlInstance);
    }

    [Fact]
    public void An_SMO_database_names_its_server_and_itself()
    {
        var server = new PSObject();
        server.TypeNames.Insert(0, "Microsoft.SqlServer.Management.Smo.Server");
        server.Properties.Add(new PSNoteProperty("Name", "sql01"));
        var database = new PSObject();
        database.TypeNames.Insert(0, "Deserialized.Microsoft.SqlServer.Management.Smo.Database");
        database.Properties.Add(new PSNoteProperty("Name", "outsystems"));
        database.Properties.Add(new PSNoteProperty("Parent", server));

        var instance = Bind(database);

        Assert.Equal("sql01", instance.SqlInstance);
        Assert.Equal("outsystems", instance.Database);
    }

    [Fact]
    public void An_object_that_names_no_instance_is_refused_and_says_which_properties_it_looked_for()
    {
        var error = Assert.ThrowsAny<PSInvalidCastException>(() => Bind(new FileSystemWatcher()));

        Assert.Contains("SqlInstance", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_generic_object_with_only_Name_is_not_taken_for_an_instance()
    {
        // A file, a process or a module also has Name: only SMO servers are read by Name.
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("Name", "orders"));

        Assert.ThrowsAny<PSInvalidCastException>(() => Bind(row));
    }
}
