namespace OsRollback.Engine;

/// <summary>Indexed access for lists, where LINQ's FirstOrDefault would enumerate (CA1826).</summary>
internal static class ReadOnlyListExtensions
{
    /// <summary>The first item, or null when the list is empty.</summary>
    public static T? FirstOrNull<T>(this IReadOnlyList<T> list) where T : class => list.Count > 0 ? list[0] : null;
}
