using Lunar.Dtn.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// A node's configuration read from ordinary .NET configuration and validated; serve and init read it the same way
/// (see <see cref="NodeConfigurationKeys"/> for the keys).
/// </summary>
public sealed record NodeConfiguration(NodeOptions Node, RelayOptions Relay, QuorumPolicy Quorum, Transfer.TransferOptions Transfer)
{
    /// <summary>The configuration, or null with every problem in <paramref name="problems"/>, each naming its key.</summary>
    public static NodeConfiguration? Read(IConfiguration config, out IReadOnlyList<string> problems)
    {
        var node = config.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        var relay = config.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions();
        var quorum = QuorumFrom(config, out var quorumErrors);
        var transfer = TransferSettings.From(config, out var transferErrors);
        problems = NodeOptionsValidator.Validate(node, relay).Concat(quorumErrors).Concat(transferErrors).ToArray();
        return problems.Count > 0 ? null : new NodeConfiguration(node, relay, quorum, transfer);
    }

    private static QuorumPolicy QuorumFrom(IConfiguration config, out IReadOnlyList<string> errors)
    {
        var list = new List<string>();
        var required = config.GetValue<int?>("Approvals:Tier1:Required") ?? QuorumPolicy.Default.Required;
        if (required < 1) list.Add($"Approvals:Tier1:Required must be at least 1 (got {required})");
        var roles = config["Approvals:Tier1:Roles"] is { } r
            ? r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : QuorumPolicy.Default.Roles.ToArray();
        if (roles.Length > required) list.Add($"Approvals:Tier1:Roles names {roles.Length} roles but only {required} signers are required");
        errors = list;
        return new QuorumPolicy(required, roles);
    }
}
