namespace OsRollback.Engine.Database;

/// <summary>A logical file of a backup and where it is restored to (WITH MOVE).</summary>
public sealed record FileMove(string LogicalName, string PhysicalName);
