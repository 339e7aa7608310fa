using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;
using OsRollback.Cmdlets.Infrastructure;

namespace OsRollback.Cmdlets.Tests;

/// <summary>
/// The exact parameters of every cmdlet, dbatools style: renaming or removing a parameter breaks
/// users' scripts, so it fails here; a new one is added to ParameterLists.txt on purpose.
/// </summary>
public class ParameterListTests
{
    private static readonly Assembly Cmdlets = typeof(OsCmdlet).Assembly;

    public static TheoryData<string> CommandNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in CmdletTypes().Keys.Order(StringComparer.Ordinal)) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void The_parameters_of_a_cmdlet_are_exactly_the_listed_ones(string command)
    {
        var expected = ExpectedLists().TryGetValue(command, out var list) ? list : [];
        var actual = ParametersOf(CmdletTypes()[command]);

        Assert.True(expected.SetEquals(actual),
            $"{command}: missing {string.Join(", ", expected.Except(actual))}; not listed {string.Join(", ", actual.Except(expected))}. " +
            $"Line for ParameterLists.txt: {command}: {string.Join(", ", actual.Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void Every_listed_command_still_exists()
    {
        Assert.Empty(ExpectedLists().Keys.Except(CmdletTypes().Keys));
    }

    [Fact]
    public void Parameter_types_are_never_engine_value_types_nor_closed_over_engine_types()
    {
        // The CLR loads such a type's assembly with the cmdlet class, before the module initializer
        // has hooked the engine's private load context: Import-Module fails on a clean machine.
        var engine = typeof(Engine.Data.DatabaseTarget).Assembly;
        var offenders = CmdletTypes().Values
            .SelectMany(t => t.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()).Select(p => (Cmdlet: t, Property: p)))
            .Where(x => Offends(x.Property.PropertyType, engine))
            .Select(x => $"{x.Cmdlet.Name}.{x.Property.Name} ({x.Property.PropertyType})")
            .ToList();

        Assert.Empty(offenders);
    }

    private static bool Offends(Type type, Assembly engine)
    {
        var element = type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;
        if (element.IsValueType && element.Assembly == engine) return true;
        for (var t = element; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericArguments().Any(a => a.Assembly == engine)) return true;
        return false;
    }

    private static Dictionary<string, Type> CmdletTypes() => Cmdlets.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() is not null)
        .ToDictionary(t => $"{t.GetCustomAttribute<CmdletAttribute>()!.VerbName}-{t.GetCustomAttribute<CmdletAttribute>()!.NounName}");

    private static HashSet<string> ParametersOf(Type cmdlet)
    {
        var common = new HashSet<string>(CommonParameters(), StringComparer.OrdinalIgnoreCase);
        return new CommandMetadata(cmdlet).Parameters.Keys.Where(n => !common.Contains(n)).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> CommonParameters() =>
        typeof(CommonParameters).GetProperties().Concat(typeof(ShouldProcessParameters).GetProperties()).Select(p => p.Name);

    private static Dictionary<string, HashSet<string>> ExpectedLists() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "ParameterLists.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
}
