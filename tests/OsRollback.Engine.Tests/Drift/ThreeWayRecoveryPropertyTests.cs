using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// Seeded, bounded random recoveries on small SQLite files (parents and children, no identity
/// reseed): random base, random lost changes, random writes after reopening, export + import.
/// Invariants: no write after reopening changed; every lost change applied or a conflict with its
/// versions; nothing overwritten without a conflict. sqldiff is the independent oracle of what changed.
/// </summary>
public sealed class ThreeWayRecoveryPropertyTests
{
    private const string Parent = "OSUSR_P_PARENT";
    private const string Child = "OSUSR_P_CHILD";
    private static readonly string[] Tables = [Parent, Child];

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Recovery_never_changes_a_write_after_reopening_and_never_overwrites_silently(int seed)
    {
        using var dir = new TempDirectory();
        var random = new Random(seed);
        var basePath = dir.File("base.db");
        var parallel = dir.File("parallel.db");
        var production = dir.File("production.db");
        CreateBase(basePath, random);
        DriftScenario.Copy(basePath, parallel);
        DriftScenario.Copy(basePath, production);
        RandomWrites(parallel, random, "lost");
        var written = RandomWrites(production, random, "after");   // no reseed: new rows take the lost rows' ids
        var before = Dump(production);
        var baseRows = Dump(basePath);
        var theirs = Dump(parallel);
        var beforeCopy = dir.File("production-before-import.db");
        DriftScenario.Copy(production, beforeCopy);

        var delta = DataDeltaExporter.Export(new DataDeltaSources { Production = new SqliteTarget(production), Base = new SqliteTarget(basePath), Parallel = new SqliteTarget(parallel) },
            dir.File("lost.jsonl"), new DataDeltaExportOptions { IncludeScript = false }, NullReporter.Instance);
        var results = DataDeltaImporter.Import(new SqliteTarget(production), delta.Path, new DataDeltaImportOptions { IncludeDeletes = true, SafetyBackupDirectory = dir.Path }, NullReporter.Instance);
        var after = Dump(production);
        var conflicts = results.SelectMany(r => r.Conflicts).ToDictionary(c => (c.Table, Id: long.Parse(c.Key[3..], CultureInfo.InvariantCulture)));

        var lost = baseRows.Keys.Union(theirs.Keys).Where(k => !Equal(baseRows, theirs, k)).ToHashSet();
        var changed = before.Keys.Union(after.Keys).Where(k => !Equal(before, after, k)).ToHashSet();

        // No write after reopening changed.
        foreach (var key in written) Assert.True(Equal(before, after, key), $"seed {seed}: {key} written after reopening was changed");
        // Every lost change is applied or listed as a conflict with its versions.
        foreach (var key in lost)
        {
            if (conflicts.TryGetValue(key, out var c))
            {
                Assert.False(c.Applied);
                Assert.Equal(baseRows.ContainsKey(key), c.Base is not null);
                Assert.Equal(theirs.ContainsKey(key), c.Theirs is not null);
                Assert.Equal(before.ContainsKey(key), c.Ours is not null);
                Assert.True(Equal(before, after, key), $"seed {seed}: conflict {key} was written");
            }
            else Assert.True(Equal(theirs, after, key), $"seed {seed}: lost change {key} neither applied nor a conflict");
        }
        // Nothing changed that was not a lost change production had left as it was in the base.
        foreach (var key in changed)
        {
            Assert.Contains(key, lost);
            Assert.False(conflicts.ContainsKey(key));
            Assert.True(Equal(baseRows, before, key), $"seed {seed}: {key} was overwritten although production had changed it");
        }
        // A lost child never ends up under a parent inserted after reopening.
        foreach (var (key, row) in after.Where(r => r.Key.Table == Child && changed.Contains(r.Key)))
            if (row[1] is long parentId && written.Contains((Parent, parentId)))
                Assert.True(baseRows.ContainsKey((Parent, parentId)), $"seed {seed}: lost child {key} attached to the new parent {parentId}");

        // Every child points at a parent production has: no lost row attached to nothing.
        foreach (var (key, row) in after.Where(r => r.Key.Table == Child))
            if (row[1] is long parentId) Assert.True(after.ContainsKey((Parent, parentId)), $"seed {seed}: {key} points at the missing parent {parentId}");

        if (Sqldiff() is { } sqldiff)
            Assert.Equal(changed.OrderBy(k => k).ToList(), SqldiffKeys(sqldiff, beforeCopy, production).OrderBy(k => k).ToList());
    }

    private static void CreateBase(string path, Random random)
    {
        using var db = DriftScenario.Open(path);
        DriftScenario.Exec(db, $"""
            CREATE TABLE {Parent} (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT, V INTEGER);
            CREATE TABLE {Child} (ID INTEGER PRIMARY KEY AUTOINCREMENT, PARENTID INTEGER REFERENCES {Parent} (ID), NOTE TEXT);
            """);
        var parents = random.Next(3, 10);
        for (var i = 0; i < parents; i++) DriftScenario.Exec(db, $"INSERT INTO {Parent} (NAME, V) VALUES ($n, $v)", ("$n", $"base {i}"), ("$v", random.Next(100)));
        for (var i = 0; i < random.Next(3, 15); i++) DriftScenario.Exec(db, $"INSERT INTO {Child} (PARENTID, NOTE) VALUES ($p, $n)", ("$p", random.Next(1, parents + 1)), ("$n", $"base child {i}"));
    }

    /// <summary>Random inserts (parents and children), edits and deletes; returns the keys written.</summary>
    private static HashSet<(string, long)> RandomWrites(string path, Random random, string tag)
    {
        var touched = new HashSet<(string, long)>();
        using var db = DriftScenario.Open(path);
        for (var step = 0; step < random.Next(2, 12); step++)
        {
            var parents = Ids(db, Parent);
            var children = Ids(db, Child);
            switch (random.Next(6))
            {
                case 0:
                    DriftScenario.Exec(db, $"INSERT INTO {Parent} (NAME, V) VALUES ($n, $v)", ("$n", $"{tag} {step}"), ("$v", random.Next(100)));
                    touched.Add((Parent, Last(db)));
                    break;
                case 1 when parents.Count > 0:
                    DriftScenario.Exec(db, $"INSERT INTO {Child} (PARENTID, NOTE) VALUES ($p, $n)", ("$p", parents[random.Next(parents.Count)]), ("$n", $"{tag} child {step}"));
                    touched.Add((Child, Last(db)));
                    break;
                case 2 when parents.Count > 0:
                    var p = parents[random.Next(parents.Count)];
                    DriftScenario.Exec(db, $"UPDATE {Parent} SET V = $v WHERE ID = $id", ("$v", random.Next(100, 200)), ("$id", p));
                    touched.Add((Parent, p));
                    break;
                case 3 when children.Count > 0:
                    var c = children[random.Next(children.Count)];
                    DriftScenario.Exec(db, $"UPDATE {Child} SET NOTE = $n WHERE ID = $id", ("$n", $"{tag} edit {step}"), ("$id", c));
                    touched.Add((Child, c));
                    break;
                case 4 when children.Count > 0:
                    var d = children[random.Next(children.Count)];
                    DriftScenario.Exec(db, $"DELETE FROM {Child} WHERE ID = $id", ("$id", d));
                    touched.Add((Child, d));
                    break;
                default:
                    var orphan = Ids(db, Parent, $"WHERE ID NOT IN (SELECT PARENTID FROM {Child} WHERE PARENTID IS NOT NULL)");
                    if (orphan.Count == 0) break;
                    var o = orphan[random.Next(orphan.Count)];
                    DriftScenario.Exec(db, $"DELETE FROM {Parent} WHERE ID = $id", ("$id", o));
                    touched.Add((Parent, o));
                    break;
            }
        }
        return touched;
    }

    private static List<long> Ids(Microsoft.Data.Sqlite.SqliteConnection db, string table, string where = "")
    {
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT ID FROM {table} {where} ORDER BY ID";
        using var reader = command.ExecuteReader();
        var list = new List<long>();
        while (reader.Read()) list.Add(reader.GetInt64(0));
        return list;
    }

    private static long Last(Microsoft.Data.Sqlite.SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT last_insert_rowid()";
        return (long)command.ExecuteScalar()!;
    }

    private static Dictionary<(string Table, long Id), object?[]> Dump(string path)
    {
        var rows = new Dictionary<(string, long), object?[]>();
        using var db = DriftScenario.Open(path);
        foreach (var table in Tables)
        {
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows[(table, reader.GetInt64(0))] = values;
            }
        }
        return rows;
    }

    private static bool Equal(Dictionary<(string, long), object?[]> a, Dictionary<(string, long), object?[]> b, (string, long) key) =>
        a.TryGetValue(key, out var x) ? b.TryGetValue(key, out var y) && x.SequenceEqual(y) : !b.ContainsKey(key);

    private static string? Sqldiff() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(d => Path.Combine(d, "sqldiff")).FirstOrDefault(File.Exists);

    /// <summary>The (table, id) of every row sqldiff reports as different between two database files.</summary>
    private static HashSet<(string, long)> SqldiffKeys(string sqldiff, string from, string to)
    {
        var keys = new HashSet<(string, long)>();
        foreach (var table in Tables)
        {
            var info = new ProcessStartInfo(sqldiff) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--primarykey", "--table", table, from, to }) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            foreach (Match m in Regex.Matches(output, @"^(?:INSERT INTO \w+\(\w+[^)]*\) VALUES\((?<id>\d+)|(?:UPDATE|DELETE FROM) \w+ (?:SET .* )?WHERE ID=(?<id>\d+))", RegexOptions.Multiline))
                keys.Add((table, long.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture)));
        }
        return keys;
    }
}
