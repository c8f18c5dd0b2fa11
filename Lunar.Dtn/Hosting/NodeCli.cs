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
        var command = new Command("constellation", "Create, inspect or advance the constellation file (public keys and roles of every node and approver; each change is a new version signed by the root).");
        var outOption = new Option<string>("--out") { Description = "Folder to write constellation.json and the private key files into", Required = true };
        var nodesOption = new Option<string>("--nodes") { Description = "Node ids, comma separated, e.g. earth,moon,tier1-alpha", Required = true };
        var approversOption = new Option<string>("--approvers") { Description = "Approvers as name:role, comma separated, e.g. alice:flight-director,bob:base-lead" };
        var dev = new Command("dev", "Make a development constellation with fresh keys") { outOption, nodesOption, approversOption };
        dev.SetAction(parse =>
        {
            var nodes = Split(parse.GetValue(nodesOption));
            var approvers = new List<(string, string)>();
            foreach (var a in Split(parse.GetValue(approversOption)))
            {
                var parts = a.Split(':', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    Console.Error.WriteLine($"--approvers entry '{a}' is not name:role");
                    return 2;
                }
                approvers.Add((parts[0], parts[1]));
            }
            if (nodes.Length == 0) { Console.Error.WriteLine("--nodes names no node"); return 2; }
            foreach (var path in DevConstellation.Create(parse.GetValue(outOption)!, nodes, approvers)) Console.WriteLine($"wrote {path}");
            return 0;
        });
        var file = new Argument<string>("FILE") { Description = "A constellation.json" };
        var showJson = new Option<bool>("--json") { Description = "Print the constellation as JSON (version, root, nodes, approvers, revokedKeys)" };
        var show = new Command("show", "Check a constellation file's signature and print its principals") { file, showJson };
        show.SetAction(parse =>
        {
            try
            {
                var c = Constellation.Load(parse.GetValue(file)!);
                if (parse.GetValue(showJson))
                {
                    CliJson.Write(Console.Out, new { c.Version, c.Root, SignatureValid = true,
                        Nodes = c.Nodes.Select(n => new { n.Id, n.PublicKey }), Approvers = c.Approvers.Select(a => new { a.Id, a.Role, a.PublicKey }), c.RevokedKeys });
                    return 0;
                }
                Console.WriteLine($"constellation version {c.Version}, root {c.Root[..16]}..., signature valid");
                foreach (var n in c.Nodes) Console.WriteLine($"node      {n.Id,-16} {n.PublicKey}");
                foreach (var a in c.Approvers) Console.WriteLine($"approver  {a.Id,-16} {a.Role,-16} {a.PublicKey}");
                foreach (var r in c.RevokedKeys) Console.WriteLine($"revoked   {r}");
                return 0;
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        });
        command.Subcommands.Add(dev);
        command.Subcommands.Add(show);
        command.Subcommands.Add(ConstellationCommands.Add());
        command.Subcommands.Add(ConstellationCommands.Revoke());
        command.Subcommands.Add(ConstellationCommands.RotateRoot());
        return command;
    }

    private static string[] Split(string? s) => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
