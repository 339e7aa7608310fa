using System.Management.Automation;
using OsRollback.Cmdlets.Platform;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Tests;

/// <summary>
/// The transformation attributes decide the form of an argument and read nothing; without a
/// session (engineIntrinsics null, as PowerShell's own attribute tests call them) paths stay as given.
/// A refused form is not a binding error: the cmdlet raises its own ErrorId when it resolves it.
/// </summary>
public class TransformationAttributeTests
{
    private static object? Transform(ArgumentTransformationAttribute attribute, object? input) => attribute.Transform(null!, input);

    private static PSObject WithProperty(string name, object value)
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty(name, value));
        return row;
    }

    [Theory]
    [InlineData("20261206-0100-orders", false)]
    [InlineData("./points/20261206-0100-orders", true)]
    [InlineData("/catalog/20261206-0100-orders", true)]
    public void RollbackPoint_text_is_an_Id_or_a_path(string text, bool isPath)
    {
        var reference = Assert.IsType<RollbackPointReference>(Transform(new RollbackPointTransformationAttribute(), text));

        Assert.Equal(text, reference.Text);
        Assert.Equal(isPath, Parameters.ArgumentForms.LooksLikePath(reference.Text!));
        Assert.False(reference.IsRefused);
    }

    [Fact]
    public void RollbackPoint_takes_a_folder_an_object_with_Path_or_SchemaSnapshotPath_and_arrays_item_by_item()
    {
        var folder = new DirectoryInfo(Path.GetTempPath());
        var attribute = new RollbackPointTransformationAttribute();

        Assert.Equal(folder.FullName, ((RollbackPointReference)Transform(attribute, folder)!).Text);
        Assert.Equal("/p/one", ((RollbackPointReference)Transform(attribute, WithProperty("Path", "/p/one"))!).Text);
        Assert.Equal("/p/s.json", ((RollbackPointReference)Transform(attribute, WithProperty("SchemaSnapshotPath", "/p/s.json"))!).Text);
        var many = Assert.IsType<RollbackPointReference[]>(Transform(attribute, new object[] { "a", PSObject.AsPSObject("b") }));
        Assert.Equal(["a", "b"], many.Select(r => r.Text));
    }

    [Fact]
    public void RollbackPoint_refuses_another_form_when_resolved_not_when_bound()
    {
        var reference = Assert.IsType<RollbackPointReference>(Transform(new RollbackPointTransformationAttribute(), 42));

        Assert.True(reference.IsRefused);
        var error = Assert.Throws<OsRollbackException>(() => reference.Resolve(RollbackCatalog.Resolve(Path.GetTempPath())));
        Assert.Equal("RollbackPointNotFound", error.ErrorId);
    }

    [Fact]
    public void Null_stays_null_for_Mandatory_and_ValidateNotNull_to_refuse()
    {
        Assert.Null(Transform(new RollbackPointTransformationAttribute(), null));
        Assert.Null(Transform(new HookScriptTransformationAttribute(), null));
        Assert.Null(Transform(new TimerStateTransformationAttribute(), null));
    }

    [Fact]
    public void Plan_refuses_another_form_as_RollbackPlanInvalid()
    {
        var reference = Assert.IsType<RollbackPlanReference>(Transform(new RollbackPlanTransformationAttribute(), 3.5));

        Assert.Equal("RollbackPlanInvalid", Assert.Throws<OsRollbackException>(() => reference.Resolve()).ErrorId);
    }

    [Fact]
    public void Plan_path_that_does_not_exist_is_RollbackPlanNotFound_when_resolved()
    {
        var reference = Assert.IsType<RollbackPlanReference>(Transform(new RollbackPlanTransformationAttribute(), new FileInfo(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json"))));

        Assert.Equal("RollbackPlanNotFound", Assert.Throws<OsRollbackException>(() => reference.Resolve()).ErrorId);
    }

    [Fact]
    public void HookScript_takes_a_script_block()
    {
        var reference = Assert.IsType<HookScriptReference>(Transform(new HookScriptTransformationAttribute(), ScriptBlock.Create("'offline'")));

        Assert.Equal("script block", reference.ToString());
        Assert.Equal("-OfflineScript script block", reference.Resolve("OfflineScript").Name);
    }

    [Fact]
    public void HookScript_path_must_exist_when_resolved()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".ps1");
        var reference = Assert.IsType<HookScriptReference>(Transform(new HookScriptTransformationAttribute(), missing));

        var error = Assert.Throws<OsRollbackException>(() => reference.Resolve("OnlineScript"));
        Assert.Equal("HookScriptNotFound", error.ErrorId);
        Assert.Contains("-OnlineScript", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HookScript_refuses_another_form_as_HookScriptInvalid_naming_the_parameter()
    {
        var reference = Assert.IsType<HookScriptReference>(Transform(new HookScriptTransformationAttribute(), 7));

        var error = Assert.Throws<OsRollbackException>(() => reference.Resolve("OfflineScript"));
        Assert.Equal("HookScriptInvalid", error.ErrorId);
        Assert.Equal(OsErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("-OfflineScript", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimerState_takes_the_state_object_as_is()
    {
        var state = new TimerSuspensionState { Database = "platform.db" };

        var reference = Assert.IsType<TimerStateReference>(Transform(new TimerStateTransformationAttribute(), PSObject.AsPSObject(state)));

        Assert.Same(state, reference.Resolve());
    }

    [Fact]
    public void TimerState_refuses_another_form_as_TimerStateInvalid()
    {
        var reference = Assert.IsType<TimerStateReference>(Transform(new TimerStateTransformationAttribute(), DateTime.UnixEpoch));

        Assert.Equal("TimerStateInvalid", Assert.Throws<OsRollbackException>(() => reference.Resolve()).ErrorId);
    }

    [Fact]
    public void ApplicationVersion_takes_version_objects_keys_and_objects_with_Key()
    {
        var version = new LifeTimeApplicationVersion { Key = "k-object" };

        var references = Assert.IsType<ApplicationVersionReference[]>(Transform(new ApplicationVersionTransformationAttribute(),
            new object[] { version, "k-text", WithProperty("Key", "k-row") }));

        Assert.Equal(["k-object", "k-text", "k-row"], references.Select(r => r.Resolve()));
    }

    [Fact]
    public void ApplicationVersion_refuses_an_object_without_Key_as_ApplicationVersionInvalid()
    {
        var reference = Assert.IsType<ApplicationVersionReference>(Transform(new ApplicationVersionTransformationAttribute(), WithProperty("Name", "Orders")));

        Assert.Equal("ApplicationVersionInvalid", Assert.Throws<OsRollbackException>(() => reference.Resolve()).ErrorId);
    }
}
