using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Engine.Tests.Modules;

public class ModuleOrdererTests
{
    private static ModuleDefinition M(string name, params string[] dependsOn) => new(name, ModuleKind.eSpace, null, dependsOn);
    private static ModuleDefinition InApp(string application, string name, params string[] dependsOn) => new(name, ModuleKind.eSpace, application, dependsOn);

    private static IReadOnlyList<ModuleOrderEntry> Order(IEnumerable<ModuleDefinition> modules, ModuleOrderRequest? request = null, RecordingReporter? reporter = null) =>
        ModuleOrderer.Order(ModuleGraph.Build(modules), request, reporter);

    private static ModuleOrderEntry Entry(IReadOnlyList<ModuleOrderEntry> entries, string name) => entries.Single(e => e.Name == name);

    /// <summary>Every producer comes earlier and in a lower wave than its consumer (outside cycles).</summary>
    private static void AssertProducersFirst(IReadOnlyList<ModuleOrderEntry> entries)
    {
        foreach (var e in entries)
            foreach (var p in e.Producers)
            {
                var producer = entries.SingleOrDefault(x => x.Name == p);
                if (producer is null || (producer.CycleGroup is not null && producer.CycleGroup == e.CycleGroup)) continue;
                Assert.True(producer.Order < e.Order, $"{p} must come before {e.Name}");
                Assert.True(producer.Wave < e.Wave, $"{p} must be in an earlier wave than {e.Name}");
            }
    }

    [Fact]
    public void Chain_is_ordered_bottom_to_top_one_wave_each()
    {
        var result = Order([M("UI", "Core"), M("Core", "Lib"), M("Lib")]);

        Assert.Equal(["Lib", "Core", "UI"], result.Select(e => e.Name));
        Assert.Equal([1, 2, 3], result.Select(e => e.Wave));
        Assert.Equal([1, 2, 3], result.Select(e => e.Order));
        Assert.Equal(["Core"], Entry(result, "UI").Producers);
        Assert.Equal(["UI"], Entry(result, "Core").Consumers);
    }

    [Fact]
    public void Diamond_puts_independent_modules_in_one_wave()
    {
        var result = Order([M("Top", "Left", "Right"), M("Left", "Base"), M("Right", "Base"), M("Base")]);

        Assert.Equal(1, Entry(result, "Base").Wave);
        Assert.Equal(2, Entry(result, "Left").Wave);
        Assert.Equal(2, Entry(result, "Right").Wave);
        Assert.Equal(3, Entry(result, "Top").Wave);
        Assert.Equal(["Left", "Right"], Entry(result, "Base").Consumers);
        AssertProducersFirst(result);
    }

    [Fact]
    public void Wave_is_the_longest_path_not_the_shortest()
    {
        // App references Lib directly and through Core: it must wait for Core.
        var result = Order([M("App", "Lib", "Core"), M("Core", "Lib"), M("Lib")]);
        Assert.Equal(3, Entry(result, "App").Wave);
    }

    [Fact]
    public void Cycle_members_share_a_wave_and_a_group_and_are_named_in_a_warning()
    {
        var reporter = new RecordingReporter();
        var result = Order([M("A", "B", "Lib"), M("B", "C"), M("C", "A"), M("Lib"), M("Top", "A")], reporter: reporter);

        var cycle = result.Where(e => e.Name is "A" or "B" or "C").ToList();
        Assert.Single(cycle.Select(e => e.Wave).Distinct());
        Assert.Single(cycle.Select(e => e.CycleGroup).Distinct());
        Assert.NotNull(cycle[0].CycleGroup);
        Assert.Null(Entry(result, "Lib").CycleGroup);
        Assert.Equal(2, Entry(result, "A").Wave);
        Assert.Equal(3, Entry(result, "Top").Wave);
        var warning = Assert.Single(reporter.Warnings, w => w.Contains("reference each other"));
        Assert.Contains("'A', 'B', 'C'", warning);
        AssertProducersFirst(result);
    }

    [Fact]
    public void Two_separate_cycles_get_different_groups()
    {
        var result = Order([M("A", "B"), M("B", "A"), M("X", "Y"), M("Y", "X", "A")]);
        Assert.NotEqual(Entry(result, "A").CycleGroup, Entry(result, "X").CycleGroup);
        Assert.True(Entry(result, "X").Wave > Entry(result, "A").Wave);
    }

    [Fact]
    public void Self_reference_is_a_cycle_of_one_and_does_not_block_ordering()
    {
        var reporter = new RecordingReporter();
        var result = Order([M("Lib"), M("Selfish", "Selfish", "Lib")], reporter: reporter);

        var selfish = Entry(result, "Selfish");
        Assert.Equal(2, selfish.Wave);
        Assert.NotNull(selfish.CycleGroup);
        Assert.Equal(["Lib"], selfish.Producers);
        Assert.Contains(reporter.Warnings, w => w.Contains("'Selfish' references itself"));
    }

    [Fact]
    public void Extensions_are_producers_like_any_module()
    {
        var modules = new[]
        {
            new ModuleDefinition("PdfExtension", ModuleKind.Extension, "Docs", []),
            InApp("Docs", "Docs_CS", "PdfExtension"),
        };
        var result = Order(modules);

        Assert.Equal(ModuleKind.Extension, Entry(result, "PdfExtension").Kind);
        Assert.Equal(1, Entry(result, "PdfExtension").Wave);
        Assert.Equal(2, Entry(result, "Docs_CS").Wave);
    }

    [Fact]
    public void Missing_producer_is_listed_and_warned_not_fatal()
    {
        var reporter = new RecordingReporter();
        var result = Order([M("App", "Lib", "Ghost"), M("Lib")], reporter: reporter);

        Assert.Equal(["Ghost"], Entry(result, "App").MissingProducers);
        Assert.Equal(["Lib"], Entry(result, "App").Producers);
        Assert.Contains(reporter.Warnings, w => w.Contains("'Ghost'") && w.Contains("MissingProducers"));
    }

    [Fact]
    public void Names_match_without_regard_to_case()
    {
        var result = Order([M("app", "LIB"), M("Lib")]);
        Assert.Equal(2, Entry(result, "app").Wave);
    }

    [Fact]
    public void Duplicate_names_are_refused_naming_them()
    {
        var ex = Assert.Throws<OsRollbackException>(() => ModuleGraph.Build([M("Lib"), M("lib"), M("Core"), M("Core")]));
        Assert.Equal("DuplicateModuleName", ex.ErrorId);
        Assert.Equal(OsErrorCategory.InvalidData, ex.Category);
        Assert.Contains("Core", ex.Message);
        Assert.Contains("Lib", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static readonly ModuleDefinition[] Factory =
    [
        InApp("Common", "Common_Lib"),
        InApp("Common", "Theme", "Common_Lib"),
        InApp("Orders", "Orders_CS", "Common_Lib"),
        InApp("Orders", "Orders_UI", "Orders_CS", "Theme"),
        InApp("Billing", "Billing_CS", "Orders_CS"),
        InApp("Billing", "Billing_UI", "Billing_CS", "Theme"),
        InApp("Reporting", "Reports", "Billing_CS"),
    ];

    [Fact]
    public void Application_filter_keeps_whole_graph_order_and_renumbers_waves()
    {
        var result = Order(Factory, new ModuleOrderRequest { Applications = ["Orders", "Common"] });

        Assert.Equal(["Common_Lib", "Orders_CS", "Theme", "Orders_UI"], result.Select(e => e.Name));
        Assert.Equal([1, 2, 2, 3], result.Select(e => e.Wave));
        Assert.Equal([1, 2, 3, 4], result.Select(e => e.Order));
    }

    [Fact]
    public void Module_filter_with_IncludeConsumers_adds_transitive_consumers_after_their_producers()
    {
        var result = Order(Factory, new ModuleOrderRequest { Modules = ["Orders_CS"], IncludeConsumers = true });

        Assert.Equal(["Orders_CS", "Billing_CS", "Orders_UI", "Billing_UI", "Reports"], result.Select(e => e.Name));
        Assert.Equal([1, 2, 2, 3, 3], result.Select(e => e.Wave));
        AssertProducersFirst(result);
    }

    [Fact]
    public void Module_filter_without_consumers_returns_only_that_module()
    {
        var result = Order(Factory, new ModuleOrderRequest { Modules = ["billing_cs"] });
        var only = Assert.Single(result);
        Assert.Equal("Billing_CS", only.Name);
        Assert.Equal(1, only.Wave);
        Assert.Equal(["Billing_UI", "Reports"], only.Consumers);
    }

    [Fact]
    public void Filters_combine_applications_and_modules()
    {
        var result = Order(Factory, new ModuleOrderRequest { Applications = ["Reporting"], Modules = ["Common_Lib"] });
        Assert.Equal(["Common_Lib", "Reports"], result.Select(e => e.Name));
        Assert.Equal([1, 2], result.Select(e => e.Wave));
    }

    [Fact]
    public void Unknown_module_names_the_closest_existing_ones()
    {
        var ex = Assert.Throws<OsRollbackException>(() => Order(Factory, new ModuleOrderRequest { Modules = ["Order_CS"] }));
        Assert.Equal("UnknownModule", ex.ErrorId);
        Assert.Equal(OsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("'Order_CS'", ex.Message);
        Assert.Contains("did you mean 'Orders_CS'", ex.Message);
    }

    [Fact]
    public void Unknown_application_names_the_closest_existing_ones()
    {
        var ex = Assert.Throws<OsRollbackException>(() => Order(Factory, new ModuleOrderRequest { Applications = ["Biling"] }));
        Assert.Equal("UnknownApplication", ex.ErrorId);
        Assert.Contains("'Billing'", ex.Message);
        Assert.Contains("-Application", ex.RecommendedAction);
    }

    [Fact]
    public void Large_generated_factory_orders_without_recursion_limits()
    {
        // A 50,000-module chain would overflow a recursive DFS; it must simply work.
        var modules = Enumerable.Range(0, 50_000).Select(i => i == 0 ? M("m0") : M($"m{i}", $"m{i - 1}")).ToList();
        modules.Add(M("m0_back", "m49999"));
        modules[0] = M("m0", "m0_back"); // closes one giant cycle
        var result = Order(modules);
        Assert.Single(result.Select(e => e.CycleGroup).Distinct());
        Assert.Single(result.Select(e => e.Wave).Distinct());
    }
}
