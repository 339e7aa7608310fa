using System.Net;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Tests;

/// <summary>LifeTime lists the newest five module versions unless MaximumVersionsToReturn says otherwise.</summary>
public sealed class ModuleVersionPagingTests : SandboxTestBase
{
    private ModuleDef Module(string name) => Catalog.Modules.Single(m => m.Name == name);

    [Fact]
    public async Task Module_versions_default_to_the_newest_five()
    {
        var module = Module("Orders_BL");
        Assert.True(module.Versions.Count > 5, "the seed must give Orders_BL more than five versions");
        var (status, body, _) = await Get(LifeTime + $"modules/{module.Key}/versions/");
        Assert.Equal(HttpStatusCode.OK, status);
        var keys = body.EnumerateArray().Select(v => v.GetProperty("Key").GetString()).ToList();
        Assert.Equal(module.Versions.AsEnumerable().Reverse().Take(5).Select(v => v.Key), keys);
        Assert.DoesNotContain(module.Versions.Single(v => v.Number == 2).Key, keys);
    }

    [Fact]
    public async Task Module_versions_honour_the_maximum_and_zero_returns_all()
    {
        var module = Module("Customers_BL");
        var (_, two, _) = await Get(LifeTime + $"modules/{module.Key}/versions/?MaximumVersionsToReturn=2");
        Assert.Equal(2, two.GetArrayLength());
        var (_, all, _) = await Get(LifeTime + $"modules/{module.Key}/versions/?MaximumVersionsToReturn=0");
        Assert.Equal(module.Versions.Count, all.GetArrayLength());
        var (negative, _, _) = await Get(LifeTime + $"modules/{module.Key}/versions/?MaximumVersionsToReturn=-3");
        Assert.Equal(HttpStatusCode.BadRequest, negative);
    }

    [Fact]
    public async Task An_old_module_version_is_read_by_its_key()
    {
        var oldest = Module("Orders_BL").Versions[0];
        var (status, body, _) = await Get(LifeTime + $"modules/{oldest.Module.Key}/versions/{oldest.Key}/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(oldest.Hash, body.GetProperty("GeneralHash").GetString());
    }

    [Fact]
    public void Untagged_versions_belong_to_no_tag_and_keep_their_tags_schema()
    {
        var module = Module("Orders_BL");
        var tagged = Catalog.AppVersions.SelectMany(v => v.ModuleVersions).Select(v => v.Key).ToHashSet();
        var untagged = module.Versions.Where(v => !tagged.Contains(v.Key)).ToList();
        Assert.Equal(SeedFactory.UntaggedVersionCount, untagged.Count);
        Assert.All(untagged, v => Assert.Equal(2, v.Index));
    }
}
