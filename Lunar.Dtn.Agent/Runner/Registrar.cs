using System.Globalization;
using Lunar.Dtn.Agent.Journal;
using Lunar.Dtn.Agent.Protocol;
using Lunar.Dtn.Orchestration;
using Microsoft.Extensions.Logging;
using Polly;

namespace Lunar.Dtn.Agent.Runner;

/// <summary>
/// First contact: an "idle" report carrying what the server is (site, cluster, tier, redundancy group, staging).
/// Sent once, again when the configured inventory changes, and whenever the node answers 404 (it lost the agent).
/// </summary>
public sealed class Registrar(AgentOptions options, AgentJournal journal, NodeClient client, ResiliencePipeline<ReportAnswer> retry,
    TimeProvider time, ILogger<Registrar> log)
{
    /// <summary>The inventory as one string, kept in the journal to know whether the node has the current one.</summary>
    public string Inventory { get; } = string.Join('|', options.Site, options.Cluster,
        options.Tier.ToString(CultureInfo.InvariantCulture), options.RedundancyGroup, options.Staging ? "staging" : "production");

    public bool IsRegistered => journal.State.RegisteredAs == Inventory;

    public async Task RegisterAsync(CancellationToken stop)
    {
        while (true)
        {
            var report = new AgentReport(null, null, "idle", null, journal.State.InstalledVersion,
                options.Site, options.Cluster, options.Tier, string.IsNullOrEmpty(options.RedundancyGroup) ? null : options.RedundancyGroup, options.Staging);
            var answer = await retry.ExecuteAsync(async ct => await client.ReportAsync(report, ct), stop);
            // A 409 means the node knows the server and is busy with it: it has the inventory all the same.
            if (answer.Kind is ReportAnswerKind.Acknowledged or ReportAnswerKind.Conflict)
            {
                // A conflict may also be the node refusing a changed inventory (what a server is is fixed at its first
                // registration): the node keeps what it has, and the operator must hear about it.
                if (answer.Kind == ReportAnswerKind.Conflict && answer.Detail.Contains("fixed at its first registration", StringComparison.Ordinal))
                    log.LogWarning("The node keeps this server's first registration: {Detail}", answer.Detail);
                journal.Update(s => s with { RegisteredAs = Inventory });
                log.LogInformation("Registered with the node as {Server} ({Inventory}); node phase {Phase}", options.ServerId, Inventory, answer.NodePhase);
                return;
            }
            log.LogError("Node refused registration ({Status}: {Detail}); trying again in {Seconds} s", answer.Status, answer.Detail, options.PollSeconds);
            await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), time, stop);
        }
    }
}
