using System.CommandLine;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The command line of both node executables. <c>serve</c> is the default verb; every other token
/// (--Node:Id=moon, ...) is ordinary .NET configuration passed to the service.
/// </summary>
public static class NodeCli
{
    public static async Task<int> RunAsync(string[] args, NodeRole role)
    {
        var root = new RootCommand($"Lunar.Dtn {role} node: a full orchestrator replica that syncs over an intermittent relay.");
        var serve = new Command("serve", "Run the service (the default verb)." + Environment.NewLine + Environment.NewLine + NodeConfigurationKeys.Describe())
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, _) => NodeHost.ServeAsync(parse.UnmatchedTokens.ToArray(), role));
        var init = new Command("init", "Initialise the data folder without serving: validate the configuration like serve, create the store and, " +
            "without Node:Constellation and Node:KeyFile, the development constellation; print what was created. Harmless when run again." +
            Environment.NewLine + Environment.NewLine + NodeConfigurationKeys.Describe())
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var initJson = new Option<bool>("--json") { Description = "Print what was created as JSON (node, role, dataDir, alreadyInitialised, created, kept)" };
        init.Options.Add(initJson);
        init.SetAction(parse => NodeHost.Init(parse.UnmatchedTokens.ToArray(), role, Console.Out, Console.Error, parse.GetValue(initJson)));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(init);
        root.Subcommands.Add(ConstellationCommand());
        root.Subcommands.Add(ApprovalCommands.Approver());
        root.Subcommands.Add(ApprovalCommands.Approve());
        // bundle: USB bundle files (BundleFileCommands) and BPv7 inspection (Bpv7Commands).
        var bundle = new Command("bundle", "Bundles as files: USB bundle files for air-gapped Tier 1 nodes (export, import, inspect) and BPv7 bundles a DTN relay carries (bpv7 inspect)");
        foreach (var verb in BundleFileCommands.Create()) bundle.Subcommands.Add(verb);
        bundle.Subcommands.Add(Bpv7Commands.Command());
        root.Subcommands.Add(bundle);

        // No verb, or a configuration token first: serve.
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not "--help" and not "--version")
            args = ["serve", .. args];
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    private static Command ConstellationCommand()
    {
        var command = new Command("constellation", "Create, inspect or advance the constellation file (the TLS certificate authority, and the keys, certificates and roles " +
            "of every node, approver, operator and agent; each change is a new version signed by the root).");
        command.Subcommands.Add(DevCommand());
        command.Subcommands.Add(ShowCommand());
        command.Subcommands.Add(ConstellationCommands.Add());
        command.Subcommands.Add(ConstellationCommands.Revoke());
        command.Subcommands.Add(ConstellationCommands.Renew());
        command.Subcommands.Add(ConstellationCommands.RotateRoot());
        return command;
    }

    private static Command DevCommand()
    {
        var outOption = new Option<string>("--out") { Description = "Folder to write constellation.json, the CA and every principal's key and certificate files into", Required = true };
        var nodesOption = new Option<string>("--nodes") { Description = "Node ids, comma separated, e.g. earth,moon,tier1-alpha", Required = true };
        var approversOption = new Option<string>("--approvers") { Description = "Approvers as name:role, comma separated, e.g. alice:flight-director,bob:base-lead" };
        var operatorsOption = new Option<string>("--operators") { Description = "Operators as name:role (viewer, operator or admin), comma separated, e.g. carol:operator,vic:viewer,ada:admin" };
        var agentsOption = new Option<string>("--agents") { Description = "Agents, one per server id, comma separated, e.g. srv-00001,srv-00002" };
        var agentsFile = new Option<string>("--agents-file") { Description = "Agents: a file with one server id a line (thousands are fine: certificates are issued on every core)" };
        var dev = new Command("dev", "Make a development constellation with fresh keys: root.key, the TLS CA (ca.crt, ca.key.pem) and, per principal P, " +
            "P.crt, P.key.pem, P.pem (for curl --cert), P.p12 (for a browser, empty password); nodes and approvers also P.key (Ed25519), agents P.passkey")
        { outOption, nodesOption, approversOption, operatorsOption, agentsOption, agentsFile };
        dev.SetAction(parse =>
        {
            var nodes = ConstellationLists.Split(parse.GetValue(nodesOption));
            if (nodes.Length == 0) return Fail("--nodes names no node");
            if (nodes.Select(n => ConstellationLists.CheckId(n, "node")).FirstOrDefault(p => p is not null) is { } badNode) return Fail(badNode);
            var (approvers, a) = ConstellationLists.Pairs(parse.GetValue(approversOption), "--approvers");
            var (operators, o) = ConstellationLists.Pairs(parse.GetValue(operatorsOption), "--operators", Roles.OperatorRoles);
            var (agents, g) = ConstellationLists.Agents(parse.GetValue(agentsOption), parse.GetValue(agentsFile));
            if ((a ?? o ?? g) is { } problem) return Fail(problem);
            var ids = nodes.Concat(approvers.Select(x => x.Id)).Concat(operators.Select(x => x.Id)).Concat(agents);
            if (ids.GroupBy(i => i).FirstOrDefault(x => x.Count() > 1) is { } twice) return Fail($"'{twice.Key}' is named twice; ids are unique across every kind");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var written = DevConstellation.Create(parse.GetValue(outOption)!, nodes, approvers, operators, agents);
            PrintWritten(written, agents);
            Console.WriteLine($"constellation version 1: {nodes.Length} nodes, {approvers.Count} approvers, {operators.Count} operators, {agents.Count} agents; " +
                $"{written.Count} files in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return dev;
    }

    /// <summary>Every file but the agents' (which can be thousands: those are counted, with the first and last named).</summary>
    private static void PrintWritten(IReadOnlyList<string> written, IReadOnlyList<string> agents)
    {
        var agentIds = agents.ToHashSet(StringComparer.Ordinal);
        string Owner(string path)
        {
            var name = Path.GetFileName(path);
            return name[..(name.IndexOf('.') is var dot and > 0 ? dot : name.Length)];
        }
        var agentFiles = agents.Count > 3 ? written.Where(p => agentIds.Contains(Owner(p))).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var path in written.Where(p => !agentFiles.Contains(p))) Console.WriteLine($"wrote {path}");
        if (agentFiles.Count > 0)
            Console.WriteLine($"wrote {agentFiles.Count} files for {agents.Count} agents ({agents[0]}.crt, .key.pem, .pem, .p12, .passkey … {agents[^1]}.passkey)");
    }

    private static Command ShowCommand()
    {
        var file = new Argument<string>("FILE") { Description = "A constellation.json" };
        var showJson = new Option<bool>("--json") { Description = "Print the constellation as JSON (version, root, ca, nodes, approvers, operators, agents, revokedKeys)" };
        var show = new Command("show", "Check a constellation file's signature and print its principals: nodes, approvers, operators and agents, " +
            "with their TLS certificate's fingerprint, until when it may act, and whether it is revoked") { file, showJson };
        show.SetAction(parse =>
        {
            try
            {
                var c = Constellation.Load(parse.GetValue(file)!);
                if (parse.GetValue(showJson))
                {
                    object View(Principal p) => new { p.Id, p.Role, PublicKey = p.PublicKey.Length == 0 ? null : p.PublicKey, p.Tls, p.TlsNotAfter, Revoked = IsRevoked(c, p) };
                    CliJson.Write(Console.Out, new { c.Version, c.Root, SignatureValid = true, Ca = c.Ca is null ? null : CaSubject(c.Ca),
                        Nodes = c.Nodes.Select(View), Approvers = c.Approvers.Select(View), Operators = (c.Operators ?? []).Select(View),
                        Agents = (c.Agents ?? []).Select(View), c.RevokedKeys });
                    return 0;
                }
                Console.WriteLine($"constellation version {c.Version}, root {c.Root[..16]}..., signature valid");
                Console.WriteLine(c.Ca is null ? "ca        none (no TLS certificate authority)" : $"ca        {CaSubject(c.Ca)}");
                foreach (var (p, kind) in ConstellationLists.WithKinds(c))
                    Console.WriteLine($"{kind.ToString().ToLowerInvariant(),-9} {p.Id,-16} {p.Role,-16} {(p.PublicKey.Length == 64 ? p.PublicKey[..16] + "…" : "-"),-17} " +
                        $"tls {(p.Tls is { } t ? t[..16] + "…" : "-"),-17} until {(p.TlsNotAfter is { } u ? u.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "-"),-10}" +
                        (IsRevoked(c, p) ? " REVOKED" : ""));
                foreach (var r in c.RevokedKeys) Console.WriteLine($"revoked   {r}");
                return 0;
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                return Fail(ex.Message);
            }
        });
        return show;
    }

    private static bool IsRevoked(Constellation c, Principal p) => ConstellationLists.KeysOf(p).Any(k => c.RevokedKeys.Contains(k, StringComparer.OrdinalIgnoreCase));

    private static string CaSubject(string pem)
    {
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        return $"{ca.Subject}, valid to {ca.NotAfter.ToUniversalTime():yyyy-MM-dd}, fingerprint {Security.Tls.TlsFingerprint.Of(ca)[..16]}…";
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 2;
    }
}
