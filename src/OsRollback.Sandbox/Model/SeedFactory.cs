using System.Security.Cryptography;
using System.Text;

namespace OsRollback.Sandbox.Model;

/// <summary>
/// Builds the seeded infrastructure, deterministically for a given seed (the seed changes the
/// keys, never the names): three environments, ten applications in three layers (foundation
/// libraries and extensions, core services, end-user apps), 45 modules with one reference
/// cycle (Customers_BL and Billing_BL), three tags per application (1.0.0, 1.1.0, 1.2.0),
/// entities and timers. Tag 1.2.0 of Orders is bad. The tags that change the schema are listed
/// in docs/sandbox.md.
/// </summary>
public static class SeedFactory
{
    public static readonly string[] Tags = ["1.0.0", "1.1.0", "1.2.0"];
    /// <summary>Untagged versions of Orders_BL and Customers_BL published after tag 1.2.0.</summary>
    public const int UntaggedVersionCount = 4;

    /// <summary>The fix of the bad Orders 1.2.0, tagged in Development after it: same schema, writes no DISC-ERR.</summary>
    public const string FixTag = "1.2.1";

    public static readonly DateTime FirstTagOn = new(2026, 9, 1, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Tag index each environment runs when seeded: Development and Quality 1.2.0, Production 1.1.0.</summary>
    public static int InitialTagIndex(EnvironmentDef environment) => environment.Slug == "production" ? 1 : 2;

    public static Catalog Create(int seed)
    {
        var b = new Builder(seed);
        var environments = new List<EnvironmentDef>
        {
            new(b.Key("env", "Development"), "Development", "development", 1, "Development"),
            new(b.Key("env", "Quality"), "Quality", "quality", 2, "Test"),
            new(b.Key("env", "Production"), "Production", "production", 3, "Production"),
        };

        // Foundation: libraries and extensions.
        var common = b.App("Common Foundation", "commonfoundation", "WebResponsive", "Reactive", "Platform", "Foundation", "Shared libraries, theme and platform extensions.");
        b.Module(common, "Common_Ext", "Extension");
        b.Module(common, "Logging_Ext", "Extension");
        var commonLib = b.Module(common, "Common_Lib", "eSpace", "Common_Ext");
        var country = b.Entity(commonLib, "Country", "OSUSR_CMN_COUNTRY", identity: false, rows: 6);
        b.Attr(country, "Name", "NAME", "rtText");
        b.Attr(country, "Iso3", "ISO3", "rtText");
        b.Module(common, "Common_Theme", "eSpace", "Common_Lib");
        b.Module(common, "Common_Utils", "eSpace", "Common_Lib", "Logging_Ext");
        var auditing = b.Module(common, "Auditing_Lib", "eSpace", "Common_Lib", "Logging_Ext");
        var audit = b.Entity(auditing, "AuditLog", "OSUSR_AUD_AUDIT_LOG", rows: 30, timestamps: true);
        b.Attr(audit, "Action", "ACTION", "rtText");
        b.Attr(audit, "UserName", "USERNAME", "rtText");
        b.Attr(audit, "Details", "DETAILS", "rtText");

        var integration = b.App("Integration Services", "integrationservices", "WebResponsive", "Reactive", "Platform", "Foundation", "Wrappers of payment, e-mail, document and map services.");
        b.Module(integration, "Payments_Ext", "Extension");
        b.Module(integration, "Email_Ext", "Extension");
        b.Module(integration, "Documents_Ext", "Extension");
        var paymentsIs = b.Module(integration, "Payments_IS", "eSpace", "Payments_Ext", "Common_Lib");
        var paymentLog = b.Entity(paymentsIs, "PaymentLog", "OSUSR_PAY_PAYMENT_LOG", rows: 20, timestamps: true);
        b.Attr(paymentLog, "Reference", "REFERENCE", "rtText");
        b.Attr(paymentLog, "Amount", "AMOUNT", "rtDecimal");
        b.Attr(paymentLog, "Status", "STATUS", "rtText");
        b.Module(integration, "Email_IS", "eSpace", "Email_Ext", "Common_Lib");
        b.Module(integration, "Maps_IS", "eSpace", "Common_Lib");

        // Core services.
        var customers = b.App("Customers Core", "customerscore", "WebResponsive", "Reactive", "Customers", "Core", "Customer entities and business logic.");
        var customersCs = b.Module(customers, "Customers_CS", "eSpace", "Common_Lib");
        var customer = b.Entity(customersCs, "Customer", "OSUSR_CUS_CUSTOMER", rows: 25, timestamps: true);
        b.Attr(customer, "Name", "NAME", "rtText");
        b.Attr(customer, "Email", "EMAIL", "rtText");
        b.Attr(customer, "CountryCode", "COUNTRY_CODE", "rtText", references: "OSUSR_CMN_COUNTRY");
        b.Attr(customer, "LoyaltyTier", "LOYALTY_TIER", "rtText", since: 1);
        var address = b.Entity(customersCs, "CustomerAddress", "OSUSR_CUS_CUSTOMER_ADDRESS", rows: 25);
        b.Attr(address, "CustomerId", "CUSTOMER_ID", "rtLongInteger", references: "OSUSR_CUS_CUSTOMER");
        b.Attr(address, "Street", "STREET", "rtText");
        b.Attr(address, "City", "CITY", "rtText");
        b.Module(customers, "Customers_BL", "eSpace", "Customers_CS", "Common_Utils", "Auditing_Lib", "Billing_BL");
        b.Module(customers, "Customers_API", "eSpace", "Customers_BL");
        var customersSync = b.Module(customers, "Customers_Sync", "eSpace", "Customers_BL");
        b.Timer(customersSync, "SyncCustomers", "every 1 hour");

        var products = b.App("Products Core", "productscore", "WebResponsive", "Reactive", "Catalog", "Core", "Product catalog and pricing.");
        var productsCs = b.Module(products, "Products_CS", "eSpace", "Common_Lib");
        var category = b.Entity(productsCs, "Category", "OSUSR_PRD_CATEGORY", identity: false, rows: 5);
        b.Attr(category, "Name", "NAME", "rtText");
        var product = b.Entity(productsCs, "Product", "OSUSR_PRD_PRODUCT", rows: 20, timestamps: true);
        b.Attr(product, "Name", "NAME", "rtText");
        b.Attr(product, "CategoryCode", "CATEGORY_CODE", "rtText", references: "OSUSR_PRD_CATEGORY");
        b.Attr(product, "Price", "PRICE", "rtDecimal");
        var review = b.Entity(productsCs, "ProductReview", "OSUSR_PRD_PRODUCT_REVIEW", since: 2, rows: 10, timestamps: true);
        b.Attr(review, "ProductId", "PRODUCT_ID", "rtLongInteger", since: 2, references: "OSUSR_PRD_PRODUCT");
        b.Attr(review, "Rating", "RATING", "rtInteger", since: 2);
        b.Attr(review, "Comment", "COMMENT", "rtText", since: 2);
        b.Module(products, "Products_BL", "eSpace", "Products_CS", "Common_Utils");
        var pricing = b.Module(products, "Pricing_CS", "eSpace", "Products_CS");
        var priceList = b.Entity(pricing, "PriceList", "OSUSR_PRC_PRICE_LIST", rows: 4);
        b.Attr(priceList, "Name", "NAME", "rtText");
        b.Attr(priceList, "ValidFrom", "VALID_FROM", "rtDateTime");
        b.Attr(priceList, "DiscountPct", "DISCOUNT_PCT", "rtDecimal");
        var productsSync = b.Module(products, "Products_Sync", "eSpace", "Products_BL");
        b.Timer(productsSync, "RefreshCatalog", "daily 02:00");

        var billing = b.App("Billing", "billing", "WebResponsive", "Reactive", "Finance", "Core", "Invoices and payments.");
        var billingCs = b.Module(billing, "Billing_CS", "eSpace", "Customers_CS", "Common_Lib");
        var invoice = b.Entity(billingCs, "Invoice", "OSUSR_BIL_INVOICE", rows: 30, timestamps: true);
        b.Attr(invoice, "CustomerId", "CUSTOMER_ID", "rtLongInteger", references: "OSUSR_CUS_CUSTOMER");
        b.Attr(invoice, "Number", "NUMBER", "rtText");
        b.Attr(invoice, "Total", "TOTAL", "rtDecimal");
        b.Attr(invoice, "DueReminderSent", "DUE_REMINDER_SENT", "rtBoolean", since: 2);
        var invoiceLine = b.Entity(billingCs, "InvoiceLine", "OSUSR_BIL_INVOICE_LINE", rows: 60);
        b.Attr(invoiceLine, "InvoiceId", "INVOICE_ID", "rtLongInteger", references: "OSUSR_BIL_INVOICE");
        b.Attr(invoiceLine, "Description", "DESCRIPTION", "rtText");
        b.Attr(invoiceLine, "Amount", "AMOUNT", "rtDecimal");
        b.Module(billing, "Billing_BL", "eSpace", "Billing_CS", "Customers_BL", "Payments_IS", "Email_IS");
        b.Module(billing, "Billing_API", "eSpace", "Billing_BL");
        var billingTimers = b.Module(billing, "Billing_Timers", "eSpace", "Billing_BL");
        b.Timer(billingTimers, "SendInvoiceReminders", "daily 08:00");

        // End-user applications.
        var orders = b.App("Orders", "orders", "WebResponsive", "Reactive", "Sales", "EndUser", "Order entry and tracking.");
        var ordersCs = b.Module(orders, "Orders_CS", "eSpace", "Customers_CS", "Products_CS");
        var orderStatus = b.Entity(ordersCs, "OrderStatus", "OSUSR_ORD_ORDER_STATUS", identity: false, rows: 4);
        b.Attr(orderStatus, "Label", "LABEL", "rtText");
        var order = b.Entity(ordersCs, "Order", "OSUSR_ORD_ORDER", rows: 40, timestamps: true);
        b.Attr(order, "CustomerId", "CUSTOMER_ID", "rtLongInteger", references: "OSUSR_CUS_CUSTOMER");
        b.Attr(order, "StatusCode", "STATUS_CODE", "rtText", references: "OSUSR_ORD_ORDER_STATUS");
        b.Attr(order, "Total", "TOTAL", "rtDecimal");
        b.Attr(order, "DeliveryNotes", "DELIVERY_NOTES", "rtText", since: 1);
        b.Attr(order, "DiscountCode", "DISCOUNT_CODE", "rtText", since: 2);
        var orderLine = b.Entity(ordersCs, "OrderLine", "OSUSR_ORD_ORDER_LINE", rows: 80);
        b.Attr(orderLine, "OrderId", "ORDER_ID", "rtLongInteger", references: "OSUSR_ORD_ORDER");
        b.Attr(orderLine, "ProductId", "PRODUCT_ID", "rtLongInteger", references: "OSUSR_PRD_PRODUCT");
        b.Attr(orderLine, "Quantity", "QUANTITY", "rtInteger");
        b.Attr(orderLine, "Price", "PRICE", "rtDecimal");
        var discount = b.Entity(ordersCs, "DiscountRule", "OSUSR_ORD_DISCOUNT_RULE", since: 2, rows: 3, timestamps: true);
        b.Attr(discount, "RuleCode", "RULE_CODE", "rtText", since: 2);
        b.Attr(discount, "Percentage", "PERCENTAGE", "rtDecimal", since: 2);
        b.Module(orders, "Orders_BL", "eSpace", "Orders_CS", "Customers_BL", "Products_BL", "Pricing_CS", "Payments_IS");
        b.Module(orders, "Orders_Th", "eSpace", "Common_Theme");
        b.Module(orders, "Orders", "eSpace", "Orders_BL", "Orders_Th", "Common_Utils");
        var ordersTimers = b.Module(orders, "Orders_Timers", "eSpace", "Orders_BL");
        b.Timer(ordersTimers, "CloseStaleOrders", "every 15 minutes");
        orders.TrafficEntities.AddRange([order, orderLine]);

        var portal = b.App("Customer Portal", "customerportal", "WebResponsive", "Reactive", "Customers", "EndUser", "Self-service portal for customers.");
        b.Module(portal, "Portal_Th", "eSpace", "Common_Theme");
        b.Module(portal, "Portal_CW", "eSpace", "Customers_BL", "Portal_Th");
        b.Module(portal, "Portal_BL", "eSpace", "Customers_BL", "Orders_BL", "Billing_API");
        b.Module(portal, "CustomerPortal", "eSpace", "Portal_BL", "Portal_CW");
        portal.TrafficEntities.AddRange([customer, address]);

        var field = b.App("Field Service", "fieldservice", "Mobile", "Mobile", "Operations", "EndUser", "Mobile app for technicians' visits.");
        var fieldCs = b.Module(field, "FieldService_CS", "eSpace", "Customers_CS");
        var visit = b.Entity(fieldCs, "Visit", "OSUSR_FSV_VISIT", rows: 15, timestamps: true);
        b.Attr(visit, "CustomerId", "CUSTOMER_ID", "rtLongInteger", references: "OSUSR_CUS_CUSTOMER");
        b.Attr(visit, "ScheduledOn", "SCHEDULED_ON", "rtDateTime");
        b.Attr(visit, "Notes", "NOTES", "rtText");
        var photo = b.Entity(fieldCs, "VisitPhoto", "OSUSR_FSV_VISIT_PHOTO", since: 1, rows: 10);
        b.Attr(photo, "VisitId", "VISIT_ID", "rtLongInteger", since: 1, references: "OSUSR_FSV_VISIT");
        b.Attr(photo, "FileName", "FILE_NAME", "rtText", since: 1);
        b.Module(field, "FieldService_BL", "eSpace", "FieldService_CS", "Customers_BL", "Maps_IS");
        b.Module(field, "FieldService", "eSpace", "FieldService_BL", "Common_Theme");
        var fieldSync = b.Module(field, "FieldService_Sync", "eSpace", "FieldService_BL");
        b.Timer(fieldSync, "SyncVisits", "every 5 minutes");
        // FieldService_Sync is multi-tenant: its route timer is not shared and runs per tenant.
        b.Timer(fieldSync, "SyncTechnicianRoutes", "every 10 minutes", tenants: [1, 2, 3]);
        field.TrafficEntities.Add(visit);

        var backoffice = b.App("Backoffice", "backoffice", "WebResponsive", "TraditionalWeb", "Sales", "EndUser", "Traditional Web back office for orders and invoices.");
        b.Module(backoffice, "Backoffice_Th", "eSpace", "Common_Theme");
        b.Module(backoffice, "Backoffice_BL", "eSpace", "Orders_BL", "Billing_BL", "Customers_BL");
        b.Module(backoffice, "Backoffice", "eSpace", "Backoffice_BL", "Backoffice_Th");
        b.Module(backoffice, "Backoffice_Reports", "eSpace", "Backoffice_BL", "Documents_Ext");
        backoffice.TrafficEntities.AddRange([invoice, invoiceLine]);

        var reporting = b.App("Reporting", "reporting", "WebResponsive", "Reactive", "Finance", "EndUser", "Dashboards and scheduled reports.");
        var reportingCs = b.Module(reporting, "Reporting_CS", "eSpace", "Common_Lib");
        var reportRun = b.Entity(reportingCs, "ReportRun", "OSUSR_REP_REPORT_RUN", rows: 12, timestamps: true);
        b.Attr(reportRun, "ReportName", "REPORT_NAME", "rtText");
        b.Attr(reportRun, "RowCount", "ROW_COUNT", "rtInteger");
        b.Module(reporting, "Reporting_BL", "eSpace", "Reporting_CS", "Orders_CS", "Billing_CS");
        b.Module(reporting, "Reporting", "eSpace", "Reporting_BL", "Common_Theme");
        var reportingTimers = b.Module(reporting, "Reporting_Timers", "eSpace", "Reporting_BL");
        b.Timer(reportingTimers, "NightlyReports", "daily 01:00");
        reporting.TrafficEntities.Add(reportRun);

        var apps = new List<AppDef> { common, integration, customers, products, billing, orders, portal, field, backoffice, reporting };
        foreach (var app in apps) b.Versions(app, bad: app == orders ? ("Orders_CS", 2) : null);
        // Customer Portal 1.2.0 needs Customers Core 1.2.0: deploying one without the other is a conflict.
        portal.Versions[2].Requires.Add((customers, 2));
        // Modules republished in Development after the last tag: LifeTime lists them among the
        // module's versions, so the tagged ones fall outside the newest five.
        foreach (var module in new[] { "Orders_BL", "Customers_BL" })
            b.UntaggedVersions(apps.SelectMany(a => a.Modules).Single(m => m.Name == module), UntaggedVersionCount);
        b.FixVersion(orders, FixTag, schemaIndex: 2);
        return new Catalog { Seed = seed, Environments = environments, Apps = apps };
    }

    private sealed class Builder(int seed)
    {
        public string Key(string kind, string name)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{kind}|{name}"));
            var bytes = hash.AsSpan(0, 16).ToArray();
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes).ToString();
        }

        public string Hash(string name) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|hash|{name}")), 0, 16).ToLowerInvariant();

        public AppDef App(string name, string urlPath, string kind, string appType, string team, string layer, string description) => new()
        {
            Key = Key("app", name), Name = name, UrlPath = urlPath, Kind = kind, AppType = appType, Team = team, Layer = layer, Description = description,
        };

        public ModuleDef Module(AppDef app, string name, string kind, params string[] producers)
        {
            var module = new ModuleDef { Key = Key("module", name), Name = name, Kind = kind, App = app };
            module.Producers.AddRange(producers);
            app.Modules.Add(module);
            return module;
        }

        public EntityDef Entity(ModuleDef module, string name, string table, int since = 0, bool identity = true, int rows = 10, bool timestamps = false)
        {
            var entity = new EntityDef { Key = Key("entity", table), Name = name, Table = table, Module = module, Since = since, Identity = identity, SeedRows = rows };
            if (identity) entity.Attributes.Add(new AttributeDef(Key("attr", table + ".ID"), "Id", "ID", "rtLongInteger", since, IsKey: true, IsAutoNumber: true));
            else entity.Attributes.Add(new AttributeDef(Key("attr", table + ".CODE"), "Code", "CODE", "rtText", since, IsKey: true));
            if (timestamps)
            {
                entity.Attributes.Add(new AttributeDef(Key("attr", table + ".CREATED_ON"), "CreatedOn", "CREATED_ON", "rtDateTime", since));
                entity.Attributes.Add(new AttributeDef(Key("attr", table + ".UPDATED_ON"), "UpdatedOn", "UPDATED_ON", "rtDateTime", since));
            }
            module.Entities.Add(entity);
            return entity;
        }

        public void Attr(EntityDef entity, string name, string column, string type, int since = 0, string? references = null) =>
            entity.Attributes.Add(new AttributeDef(Key("attr", entity.Table + "." + column), name, column, type, Math.Max(since, entity.Since), ReferencesTable: references));

        public void Timer(ModuleDef module, string name, string schedule, IReadOnlyList<long>? tenants = null) =>
            module.Timers.Add(new TimerDef(Key("timer", module.Name + "." + name), name, schedule, 0, tenants));

        public void Versions(AppDef app, (string Module, int Index)? bad)
        {
            for (var i = 0; i < Tags.Length; i++)
            {
                var created = FirstTagOn.AddDays(21 * i);
                var version = new AppVersionDef
                {
                    Key = Key("appversion", app.Name + "@" + Tags[i]), App = app, Tag = Tags[i], Index = i, CreatedOn = created,
                    ChangeLog = ChangeLog(app, i),
                };
                foreach (var module in app.Modules)
                {
                    var moduleVersion = new ModuleVersionDef
                    {
                        Key = Key("moduleversion", module.Name + "@" + Tags[i]), Module = module, Number = i + 1, Tag = Tags[i],
                        CreatedOn = created.AddMinutes(-5), Hash = Hash(module.Name + "@" + Tags[i]),
                        IsBad = bad is { } b && b.Module == module.Name && b.Index == i,
                    };
                    module.Versions.Add(moduleVersion);
                    version.ModuleVersions.Add(moduleVersion);
                }
                app.Versions.Add(version);
            }
        }

        public void UntaggedVersions(ModuleDef module, int count)
        {
            var last = module.Versions[^1];
            for (var i = 1; i <= count; i++)
            {
                var name = $"{module.Name}@{last.Tag}+dev{i}";
                module.Versions.Add(new ModuleVersionDef
                {
                    Key = Key("moduleversion", name), Module = module, Number = last.Number + i, Tag = last.Tag,
                    CreatedOn = last.CreatedOn.AddDays(i), Hash = Hash(name), SchemaIndex = last.Index,
                });
            }
        }

        /// <summary>
        /// A fix tag of one application after its last tag: every module gets a new version
        /// (after any untagged ones) with the schema of the tag given, none of them bad.
        /// </summary>
        public void FixVersion(AppDef app, string tag, int schemaIndex)
        {
            var previous = app.Versions[^1];
            var created = previous.CreatedOn.AddDays(14);
            var version = new AppVersionDef
            {
                Key = Key("appversion", app.Name + "@" + tag), App = app, Tag = tag, Index = previous.Index + 1, CreatedOn = created,
                ChangeLog = "Discount codes fixed: orders no longer get DISC-ERR.",
            };
            foreach (var module in app.Modules)
            {
                var moduleVersion = new ModuleVersionDef
                {
                    Key = Key("moduleversion", module.Name + "@" + tag), Module = module, Number = module.Versions[^1].Number + 1, Tag = tag,
                    CreatedOn = created.AddMinutes(-5), Hash = Hash(module.Name + "@" + tag), SchemaIndex = schemaIndex,
                };
                module.Versions.Add(moduleVersion);
                version.ModuleVersions.Add(moduleVersion);
            }
            app.Versions.Add(version);
        }

        private static string ChangeLog(AppDef app, int index) => (app.Name, index) switch
        {
            (_, 0) => "First release.",
            ("Orders", 1) => "Delivery notes on orders.",
            ("Orders", 2) => "Discount rules and discount codes on orders.",
            ("Customers Core", 1) => "Customer loyalty tiers.",
            ("Products Core", 2) => "Product reviews.",
            ("Billing", 2) => "Due-date reminders.",
            ("Field Service", 1) => "Photos of visits.",
            _ => "Fixes and improvements.",
        };
    }
}
