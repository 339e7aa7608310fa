using System.Globalization;

namespace OsRollback.Engine.Database;

/// <summary>The literals every engine here writes alike: NULL, booleans as 1 and 0, numbers in invariant form.</summary>
internal static class SqlLiteral
{
    /// <summary>The literal of a null, a boolean or a number; null for a value whose literal is the engine's own (text, dates, binary).</summary>
    public static string? Common(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "1" : "0",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        double => "NULL",
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
