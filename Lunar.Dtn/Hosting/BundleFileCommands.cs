using System.CommandLine;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// <c>bundle export --out FILE [--for NODE] [--since VECTOR] [--node URL --cert FILE.pem --ca FILE]</c>,
/// <c>bundle import FILE [--node URL --cert FILE.pem --ca FILE]</c> (through a node's API: an admin's certificate) and
/// <c>bundle inspect FILE [--json]</c>: USB bundle files for air-gapped Tier 1 nodes (see <see cref="BundleFileVerbs"/>).
/// Every other token (--Node:DataDir=..., --Node:Id=...) is the node's ordinary configuration.
/// </summary>
public static class BundleFileCommands
{
    public static IReadOnlyList<Command> Create()
    {
        var node = new Option<string?>("--node") { Description = "Go through a running node's API, e.g. https://127.0.0.1:5081, instead of a stopped node's data folder (needs --cert and --ca: an admin's certificate)" };
        var cert = CliCredentials.CertOption();
        var ca = CliCredentials.CaOption();

        var outPath = new Option<string>("--out") { Description = "The file to write (atomically); a folder gets a file named source-to-destination-time.ldbf", Required = true };
        var destination = new Option<string?>("--for") { Description = "The destination node id; without it the file is for any node ('*') and holds everything since --since" };
        var since = new Option<string?>("--since") { Description = "Export everything since this vector (origin/channel:seq,...), instead of what the destination last acknowledged" };
        var export = new Command("export", "Write a USB bundle file: what the destination lacks, by the vector it last acknowledged (or --since), signed by this node; " +
            "others' deltas keep their origins' signatures. Works on a running node with --node, without stopping it.")
        { outPath, destination, since, node, cert, ca };
        export.TreatUnmatchedTokensAsErrors = false;
        export.SetAction((parse, ct) => BundleFileVerbs.ExportAsync(parse.UnmatchedTokens.ToArray(), parse.GetValue(outPath)!, parse.GetValue(destination),
            parse.GetValue(since), NodeCall.Of(parse.GetValue(node), parse.GetValue(cert), parse.GetValue(ca)), Console.Out, Console.Error, BundleFileProgress.ForConsole(), ct));

        var importFile = new Argument<string>("FILE") { Description = "The bundle file" };
        var import = new Command("import", "Check a USB bundle file whole (format, signatures, destination, every delta) and only then apply it; " +
            "prints what it applied and skipped. Exit 0 when the file was valid (even if all was known), 2 with one line when not (nothing applied).")
        { importFile, node, cert, ca };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction((parse, ct) => BundleFileVerbs.ImportAsync(parse.UnmatchedTokens.ToArray(), parse.GetValue(importFile)!, NodeCall.Of(parse.GetValue(node), parse.GetValue(cert), parse.GetValue(ca)),
            Console.Out, Console.Error, BundleFileProgress.ForConsole(), ct));

        var inspectFile = new Argument<string>("FILE") { Description = "The bundle file" };
        var json = new Option<bool>("--json") { Description = "Print the manifest as JSON" };
        var inspect = new Command("inspect", "Describe a USB bundle file (source, destination, time, vectors, sections and their intervals, artifacts); " +
            "checks framing and hashes, and the whole-file signature when --Node:Constellation is given. Exit 2 when it is not a valid file.")
        { inspectFile, json };
        inspect.TreatUnmatchedTokensAsErrors = false;
        inspect.SetAction(parse => BundleFileVerbs.Inspect(parse.UnmatchedTokens.ToArray(), parse.GetValue(inspectFile)!, parse.GetValue(json), Console.Out, Console.Error));

        return [export, import, inspect];
    }
}
