using System.Globalization;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server's NEXT_RUN is a datetime: it is written as a DateTime parsed from the invariant text.</summary>
internal sealed class SqlServerPlatformTables : PlatformTables
{
    protected override object NextRunValue(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
}
