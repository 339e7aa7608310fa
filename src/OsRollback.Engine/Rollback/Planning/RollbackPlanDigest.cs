using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// The SHA-256 of a plan's canonical form: its JSON without the digest itself, object properties
/// sorted by name at every level, no whitespace, UTF-8. What an approver read (the digest in
/// plan.md or plan.json) is what Invoke-OsRollback runs: it recomputes the digest and refuses a
/// mismatch (PlanDigestMismatch).
/// </summary>
public static class RollbackPlanDigest
{
    public static string Compute(RollbackPlan plan)
    {
        var json = JObject.FromObject(plan, JsonSerializer.Create(RollbackJson.Settings));
        json.Remove("planDigest");
        var canonical = Sort(json).ToString(Formatting.None);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }

    /// <summary>
    /// Refuses a plan whose content no longer matches its digest, or whose digest is not the one an
    /// approval gate pinned (<paramref name="expected"/>). A plan without a digest (format version 1,
    /// or a plan whose digest was deleted) proves no approval: it is refused (PlanNotApproved) unless
    /// its content digest is the expected one, or the operator accepts the risk
    /// (<paramref name="allowUnapproved"/>, -AllowUnapprovedPlan), and then runs with a warning.
    /// </summary>
    public static void Ensure(RollbackPlan plan, string? expected, bool allowUnapproved, IOperationReporter reporter)
    {
        var actual = Compute(plan);
        if (string.IsNullOrEmpty(plan.PlanDigest))
        {
            if (plan.FormatVersion >= 2) throw Mismatch(plan, "it carries no digest although its format version is 2");
            if (string.IsNullOrEmpty(expected))
            {
                var problem = $"The plan {plan.Id} (format version {plan.FormatVersion}) carries no digest: nothing proves it is the plan that was approved. Its content digest is {actual}.";
                if (!allowUnapproved)
                {
                    throw new OsRollbackException("PlanNotApproved", OsErrorCategory.SecurityError, problem, plan.Id,
                        "Make and export the plan again (New-OsRollbackPlan | Export-OsRollbackPlan) and have it approved; to run this plan anyway, knowing that nothing checks what it runs, add -AllowUnapprovedPlan.");
                }
                reporter.Warning(problem + " Running it because of -AllowUnapprovedPlan.");
            }
        }
        else if (!string.Equals(plan.PlanDigest, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw Mismatch(plan, $"its content was changed after it was made (digest {actual}, recorded {plan.PlanDigest})");
        }
        if (!string.IsNullOrEmpty(expected) && !string.Equals(Normalize(expected), actual, StringComparison.OrdinalIgnoreCase))
            throw Mismatch(plan, $"its digest is {actual}, not the approved {Normalize(expected)}");
    }

    private static string Normalize(string digest) => digest.Trim().StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? digest.Trim()[7..] : digest.Trim();

    private static OsRollbackException Mismatch(RollbackPlan plan, string problem) =>
        new("PlanDigestMismatch", OsErrorCategory.SecurityError, $"The plan {plan.Id} is not the plan that was approved: {problem}.", plan.Id,
            "Do not edit plans by hand: make a new plan with New-OsRollbackPlan, export it, and have it approved again.");

    private static JToken Sort(JToken token) => token switch
    {
        JObject o => new JObject(o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new JProperty(p.Name, Sort(p.Value)))),
        JArray a => new JArray(a.Select(Sort)),
        _ => token.DeepClone(),
    };
}
