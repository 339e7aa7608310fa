using OsRollback.Cmdlets.Loading;

namespace OsRollback.Cmdlets.Tests;

/// <summary>The names scripts use for result types ([OsRollback.BackupResult]); registering them is tested on the built module in a fresh pwsh (Loading.Tests.ps1).</summary>
public class ResultTypeAcceleratorTests
{
    [Theory]
    [InlineData("OsRollback.BackupResult", typeof(Engine.Database.BackupResult))]
    [InlineData("OsRollback.RollbackPoint", typeof(Engine.Rollback.RollbackPoint))]
    [InlineData("OsRollback.RollbackResult", typeof(Engine.Rollback.Execution.RollbackResult))]
    [InlineData("OsRollback.SchemaDriftItem", typeof(Engine.Drift.SchemaDriftItem))]
    [InlineData("OsRollback.DatabaseInstanceParameter", typeof(Parameters.DatabaseInstanceParameter))]
    public void A_result_type_is_named_by_the_module_prefix_and_its_name(string name, Type type)
    {
        Assert.Same(type, ResultTypeAccelerators.Names()[name]);
    }

    [Fact]
    public void Only_module_types_are_named_never_a_system_type()
    {
        var names = ResultTypeAccelerators.Names();

        Assert.DoesNotContain("OsRollback.String", names.Keys);
        Assert.DoesNotContain("OsRollback.FileInfo", names.Keys);
        Assert.All(names, pair => Assert.StartsWith("OsRollback", pair.Value.Assembly.GetName().Name, StringComparison.Ordinal));
    }
}
