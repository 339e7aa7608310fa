using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Parameters;

/// <summary>
/// What a user gave an "object or path" parameter: the object itself, a text (an Id, a key or an
/// absolute path) the cmdlet resolves later, or a value of another form that the cmdlet refuses
/// with its own ErrorId when it resolves it. Binding reads nothing. Deliberately not generic: a
/// parameter type whose base is closed over an engine type makes PowerShell load the engine with
/// the cmdlet class, before the module initializer hooked the load context (see CONTRIBUTING.md).
/// </summary>
public abstract class ArgumentReference
{
    private protected ArgumentReference(object? given, string? text, object? refused)
    {
        GivenObject = given;
        Text = text;
        RefusedValue = refused;
    }

    /// <summary>The text given (Id, key, or a path already made absolute), if text was.</summary>
    internal string? Text { get; }

    /// <summary>True when the form was not accepted; resolving raises the cmdlet's error.</summary>
    internal bool IsRefused => RefusedValue is not null;

    private protected object? GivenObject { get; }

    private protected object? RefusedValue { get; }

    /// <summary>Raises the cmdlet's error for a refused form.</summary>
    private protected void ThrowIfRefused(Func<object, OsRollbackException> refusal)
    {
        if (RefusedValue is { } value) throw refusal(value);
    }

    /// <summary>What was given, for messages and -Verbose.</summary>
    public override string ToString() => Text ?? DescribeGiven() ?? RefusedValue?.GetType().Name ?? "";

    /// <summary>How the given object is named in messages.</summary>
    private protected virtual string? DescribeGiven() => GivenObject?.ToString();
}
