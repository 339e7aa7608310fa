using System.Data.Common;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;

namespace OsRollback.Cmdlets.Parameters;

/// <summary>
/// What a DBA gives -SqlInstance, in any of the forms dbatools users pipe: an instance name
/// (<c>sql01</c>, <c>sql01\OS</c>, <c>sql01,1433</c>, <c>tcp:sql01</c>, <c>.</c>, <c>(localdb)\x</c>),
/// a connection string, a SQLite file path, a FileInfo, or an object with SqlInstance,
/// DomainInstanceName, ComputerName (+ InstanceName), SqlitePath or ConnectionString (dbatools
/// output, SMO Server and Database objects, CSV rows). PowerShell converts through the
/// constructors, so a form that is not an instance fails at binding with the reason. The type
/// holds no engine type: the cmdlets turn it into the engine's target when they run.
/// </summary>
public sealed partial class DatabaseInstanceParameter
{
    private static readonly string[] SqliteExtensions = [".db", ".sqlite", ".sqlite3", ".db3"];

    /// <summary>An instance name, a connection string or a SQLite file path.</summary>
    public DatabaseInstanceParameter(string name)
    {
        InputObject = name;
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Give a SQL Server instance name, a connection string or a SQLite file path.", nameof(name));
        var text = name.Trim();
        if (text.Contains('=', StringComparison.Ordinal))
        {
            FromConnectionString(text);
            return;
        }
        if (LooksLikeSqliteFile(text))
        {
            SqlitePath = text;
            return;
        }
        SqlInstance = ValidInstance(BracketsRemoved(text), name);
    }

    /// <summary>A SQLite file (Get-ChildItem *.db).</summary>
    public DatabaseInstanceParameter(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        InputObject = file;
        SqlitePath = file.FullName;
    }

    /// <summary>An object that names an instance: dbatools output, SMO objects, rows of a CSV.</summary>
    public DatabaseInstanceParameter(object input)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputObject = input;
        var value = PSObject.AsPSObject(input);
        if (value.BaseObject is string or FileInfo or DatabaseInstanceParameter)
        {
            var inner = value.BaseObject switch
            {
                string s => new DatabaseInstanceParameter(s),
                FileInfo f => new DatabaseInstanceParameter(f),
                _ => (DatabaseInstanceParameter)value.BaseObject,
            };
            CopyFrom(inner);
            return;
        }
        var typeName = value.TypeNames.Count > 0 ? value.TypeNames[0].Replace("Deserialized.", "", StringComparison.Ordinal) : "";
        var isSmoDatabase = typeName.Equals("Microsoft.SqlServer.Management.Smo.Database", StringComparison.OrdinalIgnoreCase);
        var isSmoServer = typeName.Equals("Microsoft.SqlServer.Management.Smo.Server", StringComparison.OrdinalIgnoreCase);
        var instance = Text(value, "SqlInstance") ?? Text(value, "DomainInstanceName");
        if (instance is null && isSmoDatabase && Property(value, "Parent") is { } parent)
            instance = Text(PSObject.AsPSObject(parent), "DomainInstanceName") ?? Text(PSObject.AsPSObject(parent), "Name");
        if (instance is null && Text(value, "ComputerName") is { } computer)
            instance = Text(value, "InstanceName") is { } named && !named.Equals("MSSQLSERVER", StringComparison.OrdinalIgnoreCase) ? $"{computer}\\{named}" : computer;
        if (instance is null && isSmoServer) instance = Text(value, "Name");

        if (instance is not null)
        {
            CopyFrom(new DatabaseInstanceParameter(instance));
            InputObject = input;
            Database ??= isSmoDatabase ? Text(value, "Name") : Text(value, "Database");
            return;
        }
        if (Text(value, "SqlitePath") is { } sqlite)
        {
            SqlitePath = sqlite;
            return;
        }
        if (Text(value, "ConnectionString") is { } connection)
        {
            FromConnectionString(connection);
            return;
        }
        throw new ArgumentException($"A {value.TypeNames.FirstOrDefault() ?? input.GetType().Name} does not name a database instance: it has no SqlInstance, DomainInstanceName, ComputerName, SqlitePath or ConnectionString property.", nameof(input));
    }

    /// <summary>What was given, as given.</summary>
    public object InputObject { get; private set; }

    /// <summary>The SQL Server instance as SqlClient takes it (Data Source); null for SQLite.</summary>
    public string? SqlInstance { get; private set; }

    /// <summary>The database the input names (a connection string's Initial Catalog, a database object); null when it names none.</summary>
    public string? Database { get; private set; }

    /// <summary>The SQLite file, as given (the cmdlet resolves it against the current location); null for SQL Server.</summary>
    public string? SqlitePath { get; private set; }

    /// <summary>True for a SQLite file.</summary>
    public bool IsSqlite => SqlitePath is not null;

    /// <summary>True when the input was a connection string.</summary>
    public bool IsConnectionString { get; private set; }

    /// <summary>The SQL login of a connection string (its password is kept as a SecureString and never shown).</summary>
    public string? UserName { get; private set; }

    internal SecureString? Password { get; private set; }

    /// <summary>A connection string's TrustServerCertificate=true.</summary>
    public bool TrustServerCertificate { get; private set; }

    /// <summary>A connection string's Connect Timeout, in seconds.</summary>
    public int? ConnectTimeout { get; private set; }

    /// <summary>The instance (or the SQLite file), never a password.</summary>
    public override string ToString() => SqlitePath ?? SqlInstance ?? "";

    private void FromConnectionString(string text)
    {
        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException ex)
        {
            // The message of DbConnectionStringBuilder may quote the text, and with it a password.
            throw new ArgumentException("The text is neither an instance name nor a valid connection string (key=value;...).", nameof(text), ex.InnerException);
        }
        IsConnectionString = true;
        var source = Value(builder, "Data Source", "Server", "Address", "Addr", "Network Address", "Filename");
        if (source is null) throw new ArgumentException("The connection string names no server (Server=... or Data Source=...).", nameof(text));
        if (LooksLikeSqliteFile(source) || builder.ContainsKey("Filename"))
        {
            SqlitePath = source;
            return;
        }
        SqlInstance = ValidInstance(BracketsRemoved(source), source);
        Database = Value(builder, "Initial Catalog", "Database");
        UserName = Value(builder, "User ID", "UID", "User");
        if (Value(builder, "Password", "PWD") is { Length: > 0 } password)
        {
            Password = new SecureString();
            foreach (var c in password) Password.AppendChar(c);
            Password.MakeReadOnly();
        }
        TrustServerCertificate = string.Equals(Value(builder, "TrustServerCertificate", "Trust Server Certificate"), "true", StringComparison.OrdinalIgnoreCase);
        if (Value(builder, "Connect Timeout", "Connection Timeout", "Timeout") is { } timeout && int.TryParse(timeout, out var seconds)) ConnectTimeout = seconds;
    }

    private void CopyFrom(DatabaseInstanceParameter other)
    {
        SqlInstance = other.SqlInstance;
        Database = other.Database;
        SqlitePath = other.SqlitePath;
        IsConnectionString = other.IsConnectionString;
        UserName = other.UserName;
        Password = other.Password;
        TrustServerCertificate = other.TrustServerCertificate;
        ConnectTimeout = other.ConnectTimeout;
    }

    /// <summary>A path, not an instance name: instance names never hold '/' and never end in a SQLite file extension.</summary>
    private static bool LooksLikeSqliteFile(string text) =>
        text.Contains('/', StringComparison.Ordinal) || SqliteExtensions.Any(e => text.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static string BracketsRemoved(string text) => text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;

    private static string ValidInstance(string text, string given) => InstanceName().IsMatch(text)
        ? text
        : throw new ArgumentException($"'{given}' is not a SQL Server instance name (server, server\\instance, server,port, tcp:server), a connection string or a SQLite file path.", nameof(given));

    private static string? Value(DbConnectionStringBuilder builder, params string[] keys) =>
        keys.Select(k => builder.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static object? Property(PSObject value, string name)
    {
        try
        {
            var raw = value.Properties[name]?.Value;
            return raw is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : raw;
        }
        catch (GetValueException)
        {
            return null; // a live SMO property that needs a connection: not a name we can use
        }
    }

    private static string? Text(PSObject value, string name) => Property(value, name) switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s,
        DatabaseInstanceParameter p => p.ToString(),
        var other => other.ToString() is { Length: > 0 } s && !s.StartsWith("System.", StringComparison.Ordinal) ? s : null,
    };

    // [protocol:]host[,port|:port][\instance][,port]; host: a DNS name, an IPv4 address, '.', '(local)' or '(localdb)'.
    [GeneratedRegex(@"^(?:(?:tcp|np|lpc|admin):)?(?:\.|\(local\)|\(localdb\)|[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?:[,:]\d{1,5})?(?:\\[A-Za-z0-9_$#][A-Za-z0-9_$#.-]{0,31})?(?:,\d{1,5})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstanceName();
}
