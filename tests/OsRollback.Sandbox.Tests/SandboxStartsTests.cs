namespace OsRollback.Sandbox.Tests;

public class SandboxProjectTests
{
    [Fact]
    public void Sandbox_assembly_is_loadable()
    {
        Assert.Equal("OsRollback.Sandbox", typeof(Program).Assembly.GetName().Name);
    }
}
