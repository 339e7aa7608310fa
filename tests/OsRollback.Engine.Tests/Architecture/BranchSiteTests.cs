using System.Text.RegularExpressions;
using OsRollback.Engine.Tests.Modules;

namespace OsRollback.Engine.Tests.Architecture;

/// <summary>
/// Engine-specific decisions belong to the engine folders: outside them, code that branches on the
/// concrete target type or the engine kind is counted, and only the provider factory and parameter
/// binding may do it freely. A new branch site elsewhere fails here and names itself.
/// </summary>
public class BranchSiteTests
{
    /// <summary>
    /// Branch sites allowed outside the engine folders, the factory and parameter binding (91 when this
    /// test came, 2 now): the runbook's T-SQL script asks once whether its database is SQL Server
    /// (<c>Rollback/Scripting/TSqlDatabase</c>), and the data repair picks its script parser once
    /// (<c>RollForward/RepairDialect</c>: ScriptDom or SQLite's own).
    /// </summary>
    private const int Ceiling = 2;

    private static readonly Regex BranchSite = new(
        @"\b(is|as|case)\s+(not\s+)?(SqlServerTarget|SqliteTarget)\b" +
        @"|\b(SqlServerTarget|SqliteTarget)\s+\w+\s*(=>|when\b)" +
        @"|\b(SqlServerTarget|SqliteTarget)\s*\{" +
        @"|OfType<(SqlServerTarget|SqliteTarget)>" +
        @"|\bDatabaseEngineKind\.(SqlServer|Sqlite)\b" +
        @"|\.Engine\s*[!=]=",
        RegexOptions.Compiled);

    /// <summary>Where choosing by engine is the job: the engine folders, the provider factory, parameter binding.</summary>
    private static readonly string[] Exempt =
    [
        "src/OsRollback.Engine/Database/SqlServer/",
        "src/OsRollback.Engine/Database/Sqlite/",
        "src/OsRollback.Engine/Database/Providers/DatabaseProviders.cs",
        "src/OsRollback.Cmdlets/Parameters/",
        "src/OsRollback.Cmdlets/Infrastructure/DatabaseParameters.cs",
    ];

    internal static IReadOnlyList<string> Sites()
    {
        var root = ModuleGraphJsonTests.RepoRoot();
        var sites = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/") || relative.Contains("/bin/") || Exempt.Any(relative.StartsWith)) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                sites.AddRange(BranchSite.Matches(code).Select(m => $"{relative}:{i + 1}: {m.Value}"));
            }
        }
        return sites;
    }

    [Fact]
    public void Code_outside_the_engine_folders_branches_on_the_engine_in_few_places()
    {
        var sites = Sites();
        Assert.True(sites.Count <= Ceiling, $"{sites.Count} branch sites on the engine outside the engine folders (at most {Ceiling}); move these into a provider:\n{string.Join("\n", sites)}");
    }

    [Fact]
    public void The_count_sees_a_branch_on_the_target_type()
    {
        Assert.Matches(BranchSite, "if (target is SqlServerTarget sql)");
        Assert.Matches(BranchSite, "SqliteTarget f => f.Path,");
        Assert.Matches(BranchSite, "point.Engine == DatabaseEngineKind.Sqlite");
        Assert.DoesNotMatch(BranchSite, "var provider = DatabaseProviders.For(target);");
    }
}
