using System.Management.Automation;
using System.Reflection;
using OsRollback.Cmdlets.Database;
using OsRollback.Cmdlets.Drift;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;

namespace OsRollback.Cmdlets.Tests;

/// <summary>
/// Every cmdlet that takes a database takes it through the one database-parameter block
/// (<see cref="OsDatabaseCmdlet"/>), so a new input form or connection option reaches all of them.
/// </summary>
public class DatabaseParameterBlockTests
{
    /// <summary>Cmdlets with a database parameter of their own, and why.</summary>
    private static readonly Dictionary<Type, string> OwnParameters = new()
    {
        // It reads a backup file on a server; the instance binds by property name from SQLite backups too, where it is empty.
        [typeof(TestOsDatabaseBackupCommand)] = "SqlInstance",
        // The environment lock of the sandbox's SQLite database.
        [typeof(Rollback.UnlockOsEnvironmentCommand)] = "SqlitePath",
    };

    public static TheoryData<Type> DatabaseCmdlets()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(OsCmdlet).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() is not null)
                     .Where(t => new CommandMetadata(t).Parameters.Keys.Any(k => k is "SqlInstance" or "SqlitePath"))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
            data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(DatabaseCmdlets))]
    public void A_cmdlet_that_takes_a_database_takes_it_through_the_one_block(Type cmdlet)
    {
        if (OwnParameters.ContainsKey(cmdlet)) return;
        Assert.True(typeof(OsDatabaseCmdlet).IsAssignableFrom(cmdlet), $"{cmdlet.Name} declares database parameters of its own; derive it from OsDatabaseCmdlet.");
    }

    [Fact]
    public void The_listed_exceptions_still_declare_their_own_parameter()
    {
        foreach (var (cmdlet, parameter) in OwnParameters)
        {
            Assert.False(typeof(OsDatabaseCmdlet).IsAssignableFrom(cmdlet), cmdlet.Name);
            Assert.True(new CommandMetadata(cmdlet).Parameters.ContainsKey(parameter), $"{cmdlet.Name} -{parameter}");
        }
    }

    [Fact]
    public void The_backup_cmdlets_take_many_databases_from_the_pipeline_and_the_others_one()
    {
        var many = new CommandMetadata(typeof(GetOsDatabaseBackupCommand)).Parameters;
        Assert.Equal(typeof(DatabaseInstanceParameter[]), many["SqlInstance"].ParameterType);
        Assert.Equal(typeof(string[]), many["Database"].ParameterType);
        Assert.Equal(typeof(string[]), many["SqlitePath"].ParameterType);
        var instance = many["SqlInstance"].ParameterSets[OsDatabaseCmdlet.SqlServerSet];
        Assert.True(instance.ValueFromPipeline);
        Assert.Equal(0, instance.Position);
        Assert.Contains("Name", many["Database"].Aliases);

        var one = new CommandMetadata(typeof(GetOsSchemaDriftCommand)).Parameters;
        Assert.Equal(typeof(DatabaseInstanceParameter), one["SqlInstance"].ParameterType);
        Assert.Equal(typeof(string), one["Database"].ParameterType);
        Assert.False(one["SqlInstance"].ParameterSets[OsDatabaseCmdlet.SqlServerSet].ValueFromPipeline);
        // The connection options are the block's, the same in both.
        foreach (var option in new[] { "SqlCredential", "TrustServerCertificate", "ConnectTimeout" })
            Assert.Equal(one[option].ParameterType, many[option].ParameterType);
    }
}
