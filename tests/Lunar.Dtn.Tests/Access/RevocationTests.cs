using System.Net;
using System.Net.Http.Json;
using Lunar.Dtn.Hosting;
using Lunar.Dtn.Security;
using Lunar.Dtn.Tests.Api;
using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Access;

/// <summary>
/// Revocation and expiry without any online authority: a new root-signed constellation version revokes a principal (or
/// ends its certificate's term), and the node refuses that principal from the version that says so, while everyone else
/// goes on being served.
/// </summary>
public sealed class RevocationTests
{
    private static readonly object Campaign = new { name = "wave-r", artifactId = new string('a', 64), approvalRequired = false };

    /// <summary>Writes the next constellation version, changed by <paramref name="change"/>, signed with the folder's root key, and puts it into the node as ada.</summary>
    private static async Task SubmitNextVersionAsync(InProcessNode node, Func<Constellation, Constellation> change)
    {
        var current = Constellation.Load(Path.Combine(node.CredentialsDir, DevConstellation.FileName));
        var held = node.Replica.Trust.Source ?? current;
        using var root = NodeKey.Load(Path.Combine(node.CredentialsDir, "root.key"));
        var next = (change(held) with { Version = held.Version + 1, Signature = "" }).SignWith(root);
        using var response = await node.Http.PostAsync("/api/v1/constellation", new StringContent(next.ToJson(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static string TlsOf(Constellation c, string id) => c.AllPrincipals.Single(p => p.Id == id).Tls!;

    [Fact]
    public async Task RevokedOperator_IsRefusedFromTheRevokingVersion_AndOthersAreStillServed()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: ["srv-1"]);
        using var oscar = node.ClientAs("oscar");
        Assert.Equal(HttpStatusCode.OK, (await oscar.GetAsync("/api/v1/campaigns")).StatusCode);

        await SubmitNextVersionAsync(node, c => c with { RevokedKeys = [.. c.RevokedKeys, TlsOf(c, "oscar")] });

        // The same connection as before: the gate checks again under the new version, not once per connection forever.
        await ProblemAssert.RefusedAsync(node, _ => oscar.PostAsJsonAsync("/api/v1/campaigns", Campaign), 401, "oscar", "revoked", "version 2");
        using var fresh = node.ClientAs("oscar");
        await ProblemAssert.RefusedAsync(node, _ => fresh.GetAsync("/api/v1/campaigns"), 401, "revoked");
        using var vic = node.ClientAs("vic");
        Assert.Equal(HttpStatusCode.OK, (await vic.GetAsync("/api/v1/campaigns")).StatusCode);
    }

    [Fact]
    public async Task RevokedAgent_CannotReportAnyMore_AndAnotherAgentStillCan()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: ["srv-1", "srv-2"]);
        var register = new { phase = "idle", site = "peary", cluster = "c1", tier = 3 };
        Assert.Equal(200, (await node.PostAsync("/api/v1/agents/srv-1/report", register)).Status);

        await SubmitNextVersionAsync(node, c => c with { RevokedKeys = [.. c.RevokedKeys, TlsOf(c, "srv-1")] });

        using var agent = node.ClientAs("srv-1");
        await ProblemAssert.RefusedAsync(node, _ => agent.PostAsJsonAsync("/api/v1/agents/srv-1/report", register), 401, "srv-1", "revoked");
        await ProblemAssert.RefusedAsync(node, _ => agent.GetAsync("/api/v1/agents/srv-1/assignment"), 401, "revoked");
        Assert.Equal(200, (await node.PostAsync("/api/v1/agents/srv-2/report", register)).Status);
    }

    [Fact]
    public async Task CertificatePastItsConstellationTerm_IsRefusedAsExpired_AndRenewalByANewVersionRestoresIt()
    {
        await using var node = await InProcessNode.StartAsync(NodeRole.Moon, "moon", agents: []);
        Principal Term(Principal p, DateTimeOffset end) => p.Id == "oscar" ? p with { TlsNotAfter = end } : p;
        await SubmitNextVersionAsync(node, c => c with { Operators = c.Operators!.Select(p => Term(p, DateTimeOffset.UtcNow.AddDays(-1))).ToList() });

        using var oscar = node.ClientAs("oscar");
        await ProblemAssert.RefusedAsync(node, _ => oscar.GetAsync("/api/v1/campaigns"), 401, "oscar", "expired", "renew");

        // Renewal is a constellation version, nothing more: no file has to reach oscar.
        await SubmitNextVersionAsync(node, c => c with { Operators = c.Operators!.Select(p => Term(p, DateTimeOffset.UtcNow.AddDays(365))).ToList() });
        using var renewed = node.ClientAs("oscar");
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/v1/campaigns")).StatusCode);
    }
}
