using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>
/// What ties a database to other servers or databases, read before a restore is planned:
/// availability group, mirroring, log shipping, replication and TDE. A restore over such a
/// database would half-work (a secondary out of sync, a broken log-shipping chain, orphaned
/// publications, an unreadable backup), so <see cref="ThrowIfRestoreUnsafe"/> stops it first.
/// </summary>
public sealed record SharedServerFeatures
{
    public string Database { get; init; } = "";
    public string? AvailabilityGroup { get; init; }
    public string? MirroringRole { get; init; }
    public bool InLogShipping { get; init; }
    /// <summary>Published (transactional/snapshot or merge), subscribed, or the distributor.</summary>
    public IReadOnlyList<string> Replication { get; init; } = [];
    /// <summary>sys.dm_database_encryption_keys.encryption_state (3 = encrypted) when there is a key.</summary>
    public int? EncryptionState { get; init; }
    /// <summary>Whether master holds the certificate that protects the database encryption key.</summary>
    public bool EncryptionCertificatePresent { get; init; }

    public bool IsEncrypted => EncryptionState is > 0;

    /// <summary>One batch: sys.databases, sys.database_mirroring, AG replicas, msdb log shipping tables, the encryption key and its certificate.</summary>
    public const string Query = """
        SELECT d.name,
               ag.name AS availability_group,
               m.mirroring_role_desc,
               CAST(CASE WHEN EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_primary_databases AS lp WHERE lp.primary_database = d.name)
                          OR EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_secondary_databases AS ls WHERE ls.secondary_database = d.name)
                         THEN 1 ELSE 0 END AS bit) AS in_log_shipping,
               d.is_published, d.is_merge_published, d.is_subscribed, d.is_distributor,
               k.encryption_state,
               CAST(CASE WHEN c.thumbprint IS NULL THEN 0 ELSE 1 END AS bit) AS certificate_present
        FROM sys.databases AS d
        LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id AND m.mirroring_guid IS NOT NULL
        LEFT JOIN sys.availability_replicas AS ar ON ar.replica_id = d.replica_id
        LEFT JOIN sys.availability_groups AS ag ON ag.group_id = ar.group_id
        LEFT JOIN sys.dm_database_encryption_keys AS k ON k.database_id = d.database_id
        LEFT JOIN master.sys.certificates AS c ON c.thumbprint = k.encryptor_thumbprint
        WHERE d.name = @database;
        """;

    public static SharedServerFeatures Read(ISqlSession session, string database, CancellationToken ct)
    {
        var row = session.ExecuteReader(Query, [new("@database", database)], cancellationToken: ct).FirstOrNull();
        if (row is null) return new SharedServerFeatures { Database = database };
        var replication = new List<string>();
        if (row.Bool("is_published")) replication.Add("published");
        if (row.Bool("is_merge_published")) replication.Add("merge published");
        if (row.Bool("is_subscribed")) replication.Add("subscribed");
        if (row.Bool("is_distributor")) replication.Add("distributor");
        return new SharedServerFeatures
        {
            Database = database,
            AvailabilityGroup = row.String("availability_group"),
            MirroringRole = row.String("mirroring_role_desc"),
            InLogShipping = row.Bool("in_log_shipping"),
            Replication = replication,
            EncryptionState = row.Int64("encryption_state") is long s ? (int)s : null,
            EncryptionCertificatePresent = row.Bool("certificate_present"),
        };
    }

    /// <summary>Stops a restore over the database, with an ErrorId per case and what to do first.</summary>
    public void ThrowIfRestoreUnsafe(string display)
    {
        if (AvailabilityGroup is { } ag)
            throw Refuse("DatabaseInAvailabilityGroup", $"'{Database}' is in the availability group '{ag}'; a restore over it would leave the secondaries out of sync.", display,
                $"On the primary run ALTER AVAILABILITY GROUP [{ag}] REMOVE DATABASE [{Database}], restore, then add it back and re-seed the secondaries.");
        if (MirroringRole is { } role)
            throw Refuse("DatabaseMirrored", $"'{Database}' is mirrored ({role}); a restore would break the mirroring session half-way.", display,
                $"Run ALTER DATABASE [{Database}] SET PARTNER OFF on the principal, restore, then set up mirroring again from a fresh backup.");
        if (InLogShipping)
            throw Refuse("DatabaseInLogShipping", $"'{Database}' takes part in log shipping (msdb.dbo.log_shipping_*); a restore breaks the log chain the secondaries follow.", display,
                "Disable the log-shipping backup, copy and restore jobs, restore, then re-initialize the secondaries from a new full backup.");
        if (Replication.Count > 0)
            throw Refuse("DatabaseReplicated", $"'{Database}' takes part in replication ({string.Join(", ", Replication)}); a restore leaves publications and subscriptions inconsistent.", display,
                "Script and drop the publications/subscriptions (or plan a RESTORE ... WITH KEEP_REPLICATION with your replication admin), restore, then recreate them.");
        if (IsEncrypted && !EncryptionCertificatePresent)
            throw Refuse("DatabaseTdeCertificateMissing", $"'{Database}' is encrypted with TDE and the certificate that protects its key is not in master; a backup of it could not be restored.", display,
                "Restore the TDE certificate (CREATE CERTIFICATE ... FROM FILE ... WITH PRIVATE KEY) into master first, then restore.");
    }

    private static OsRollbackException Refuse(string id, string message, string display, string action) =>
        new(id, OsErrorCategory.InvalidOperation, message + " Nothing was changed.", display, action);
}
