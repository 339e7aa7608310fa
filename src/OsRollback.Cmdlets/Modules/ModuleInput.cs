using System.Collections;
using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Cmdlets.Modules;

/// <summary>
/// The module-graph inputs shared by Get-OsModuleOrder and Export-OsModuleGraph: a platform
/// database, a JSON export (-Path), or pipeline objects with Name and DependsOn; and -Application,
/// which narrows both to the modules of some applications.
/// </summary>
public abstract class ModuleGraphInputCmdlet : OsDatabaseCmdlet
{
    public const string PathSet = "Path";
    public const string InputObjectSet = "InputObject";

    private readonly List<ModuleDefinition> _piped = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [Alias("FilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Objects with Name and DependsOn (producer names), optionally Kind and Application.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>Only the modules of these applications (an unknown name is an error with the closest names).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsGraphApplicationCompleter))]
    public string[] Application { get; set; } = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName != InputObjectSet) return;
        foreach (var item in InputObject)
        {
            if (item is null) continue;
            _piped.Add(ToDefinition(item));
        }
    }

    /// <summary>Reads the whole graph from whichever input was given.</summary>
    protected IReadOnlyList<ModuleDefinition> ReadDefinitions(IOperationReporter reporter)
    {
        switch (ParameterSetName)
        {
            case PathSet:
                var path = GetUnresolvedProviderPathFromPSPath(Path);
                reporter.Verbose($"Reading the module graph file {path}.");
                return ModuleGraphJson.ReadFile(path);
            case InputObjectSet:
                if (_piped.Count == 0)
                {
                    throw new OsRollbackException("NoModuleInput", OsErrorCategory.InvalidArgument,
                        "No modules were given.", null,
                        "Pipe objects with Name and DependsOn properties, or use -Path, -SqlitePath or -SqlInstance/-Database.");
                }
                reporter.Verbose($"Received {_piped.Count} modules from the pipeline.");
                return _piped;
            default:
                return MetamodelGraphReader.Read(GetDatabaseTarget(), reporter);
        }
    }

    /// <summary>The input in a few words for a picture's title: a file name or server\database, not a long path; holds no secret.</summary>
    protected string ShortSource() => ParameterSetName switch
    {
        PathSet => System.IO.Path.GetFileName(GetUnresolvedProviderPathFromPSPath(Path)),
        InputObjectSet => "pipeline",
        _ => Engine.Rollback.Execution.ShortTarget.Of(GetDatabaseTarget().DisplayName),
    };

    /// <summary>A description of the input for messages and exported files; holds no secret.</summary>
    protected string DescribeSource() => ParameterSetName switch
    {
        PathSet => GetUnresolvedProviderPathFromPSPath(Path),
        InputObjectSet => "pipeline",
        _ => GetDatabaseTarget().DisplayName,
    };

    private ModuleDefinition ToDefinition(PSObject item)
    {
        var name = Property(item, "Name") as string ?? Property(item, "Name")?.ToString();
        if (string.IsNullOrWhiteSpace(name))
        {
            ThrowInvalid("ModuleNameMissing", OsErrorCategory.InvalidData,
                "A piped object has no Name property.", item,
                "Pipe objects with a Name property (the module name) and a DependsOn property (producer names).");
        }
        var kindText = Property(item, "Kind")?.ToString();
        if (!ModuleGraphJson.TryParseKind(kindText, out var kind))
        {
            ThrowInvalid("ModuleKindInvalid", OsErrorCategory.InvalidData,
                $"Module '{name}' has Kind '{kindText}'.", item, "Use 'eSpace' or 'Extension'.");
        }
        var dependsOn = Property(item, "DependsOn") switch
        {
            null => Array.Empty<string>(),
            string one => new[] { one },
            IEnumerable many => many.Cast<object?>().Select(o => o is PSObject p ? p.BaseObject : o).OfType<object>().Select(o => o.ToString()!).ToArray(),
            var other => new[] { other.ToString()! },
        };
        return new ModuleDefinition(name!, kind, Property(item, "Application")?.ToString(), dependsOn);
    }

    private static object? Property(PSObject item, string name)
    {
        if (item.BaseObject is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) return Unwrap(entry.Value);
            return null;
        }
        return Unwrap(item.Properties[name]?.Value);
    }

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;
}
