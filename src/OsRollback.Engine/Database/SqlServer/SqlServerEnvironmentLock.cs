using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// The SQL Server rollback lock: sp_getapplock (Exclusive, owner Session) on a dedicated
/// connection that stays open for the whole run, so a crashed run releases it with its
/// connection. The lock is taken in master under a name made from the platform database's name,
/// not in the platform database itself: the restore sets that database SINGLE_USER WITH ROLLBACK
/// IMMEDIATE, which would kill the lock's session in the middle of the outage. The session's
/// CONTEXT_INFO names the holder, so a refused run can say who holds the lock.
/// </summary>
internal sealed class SqlServerEnvironmentLock : IEnvironmentLock
{
    internal const string AcquireSql =
        "DECLARE @result int;\n" +
        "EXEC @result = sys.sp_getapplock @Resource = @Resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 0, @DbPrincipal = N'public';\n" +
        "SELECT @result AS result;";

    internal const string SetHolderSql = "DECLARE @info varbinary(128) = CAST(@Holder AS varbinary(128));\nSET CONTEXT_INFO @info;";

    internal const string HolderSql =
        "SELECT TOP (1) CAST(s.context_info AS varchar(128)) AS holder, s.host_name, s.login_name\n" +
        "FROM sys.dm_tran_locks AS l\n" +
        "JOIN sys.dm_exec_sessions AS s ON s.session_id = l.request_session_id\n" +
        "WHERE l.resource_type = N'APPLICATION' AND l.request_status = N'GRANT' AND l.request_session_id <> @@SPID\n" +
        "  AND l.resource_database_id = DB_ID(N'master') AND l.resource_description LIKE N'%' + LEFT(@Resource, 32) + N'%';";

    /// <summary>Whether this session still holds the lock ('Exclusive'; 'NoLock' once it was released or the session was reset).</summary>
    internal const string HeldSql = "SELECT APPLOCK_MODE(N'public', @Resource, N'Session') AS mode;";

    internal const string ReleaseSql = "EXEC sys.sp_releaseapplock @Resource = @Resource, @LockOwner = N'Session', @DbPrincipal = N'public';";

    private readonly ISqlSession _session;
    private readonly string _resource;
    private readonly string _environment;

    private SqlServerEnvironmentLock(ISqlSession session, string resource, string environment)
    {
        _session = session;
        _resource = resource;
        _environment = environment;
    }

    /// <summary>Asks the lock's own session whether it still holds the application lock (a killed or reset session does not).</summary>
    public void EnsureHeld()
    {
        string? mode;
        try { mode = Convert.ToString(_session.ExecuteScalar(HeldSql, [new SqlParameterValue("@Resource", _resource)]), System.Globalization.CultureInfo.InvariantCulture); }
        catch (Exception ex) when (ex is OsRollbackException or InvalidOperationException or System.Data.Common.DbException)
        {
            throw Lost($"its session cannot be asked any more ({ex.Message})", ex);
        }
        if (!string.Equals(mode, "Exclusive", StringComparison.OrdinalIgnoreCase)) throw Lost($"the server reports the lock mode '{mode}'", null);
    }

    private OsRollbackException Lost(string why, Exception? inner) =>
        new("EnvironmentLockLost", OsErrorCategory.ResourceBusy,
            $"The rollback lock of {_environment} (application lock '{_resource}') is no longer held: {why}. The run stopped before its next step, because another run may now hold {_environment}.",
            _environment, "Find out whether another rollback of this environment is running (its session was killed or the server restarted); when none is, resume this plan with Invoke-OsRollback -Resume.", inner);

    /// <summary>The applock name: one per platform database of a server (applock names are at most 255 characters).</summary>
    public static string ResourceName(SqlServerTarget target)
    {
        var name = $"OsRollback:{target.Database.ToLowerInvariant()}";
        return name.Length <= 255 ? name : name[..255];
    }

    /// <param name="openSession">Opens the dedicated session that holds the lock (the provider's: a new connection to master).</param>
    public static async Task<SqlServerEnvironmentLock> AcquireAsync(SqlServerTarget target, EnvironmentLockRequest request, Func<SqlServerTarget, ISqlSession> openSession,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var resource = ResourceName(target);
        var parameters = new[] { new SqlParameterValue("@Resource", resource) };
        ISqlSession session;
        try { session = openSession(target); }
        catch (OsRollbackException ex)
        {
            throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.ResourceUnavailable,
                $"The rollback lock of {request.Environment} lives on {target.SqlInstance}, which cannot be reached: {ex.Message}", target.DisplayName,
                "Give -SqlInstance/-Database (and -SqlCredential) for the environment's platform database; every rollback of it takes the lock there.", ex);
        }
        try
        {
            var holder = EnvironmentLock.Self(request.Environment, request.PlanId);
            var holderText = $"{holder.User}@{holder.Host} pid {holder.ProcessId} plan {holder.PlanId}";
            session.ExecuteNonQuery(SetHolderSql, [new SqlParameterValue("@Holder", holderText.Length <= 128 ? holderText : holderText[..128])], cancellationToken: cancellationToken);
            var started = request.Time.GetTimestamp();
            var announced = false;
            while (true)
            {
                var result = Convert.ToInt32(session.ExecuteScalar(AcquireSql, parameters, cancellationToken: cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                if (result >= 0)
                {
                    reporter.Verbose($"Locked {request.Environment} for this rollback (application lock '{resource}' on {target.SqlInstance}).");
                    return new SqlServerEnvironmentLock(session, resource, request.Environment);
                }
                if (result != -1)
                {
                    throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.ResourceUnavailable,
                        $"sp_getapplock on {target.SqlInstance} answered {result} for '{resource}'.", target.DisplayName,
                        "Check that the login may run sp_getapplock in master (public role), then try again.");
                }
                var who = DescribeHolder(session, parameters, cancellationToken);
                if (request.Time.GetElapsedTime(started) >= request.Wait)
                {
                    throw new OsRollbackException("EnvironmentLocked", OsErrorCategory.ResourceBusy,
                        $"Another rollback of {request.Environment} is running: held by {who} (application lock '{resource}' on {target.SqlInstance}).", request.Environment,
                        "Wait for it to finish (or use -LockTimeoutSeconds to wait). The lock ends with the holder's connection; a crashed run releases it.");
                }
                if (!announced) { reporter.Warning($"Waiting for the rollback of {request.Environment} held by {who}."); announced = true; }
                await Task.Delay(request.PollInterval, request.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Who holds the lock, as far as the login may see (VIEW SERVER STATE); never fails the refusal.</summary>
    private static string DescribeHolder(ISqlSession session, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken)
    {
        try
        {
            var row = session.ExecuteReader(HolderSql, parameters, cancellationToken: cancellationToken).FirstOrNull();
            if (row is null) return "another session (its holder is visible only with VIEW SERVER STATE)";
            var holder = row.String("holder")?.TrimEnd('\0', ' ');
            return string.IsNullOrEmpty(holder) ? $"{row.String("login_name")} on {row.String("host_name")}" : $"{holder} ({row.String("login_name")} on {row.String("host_name")})";
        }
        catch (Exception ex) when (ex is OsRollbackException or InvalidOperationException or System.Data.Common.DbException)
        {
            return "another session";
        }
    }

    public void Dispose()
    {
        try { _session.ExecuteNonQuery(ReleaseSql, [new SqlParameterValue("@Resource", _resource)]); }
        catch (Exception ex) when (ex is OsRollbackException or InvalidOperationException or System.Data.Common.DbException) { /* closing the connection releases it too */ }
        _session.Dispose();
    }
}
