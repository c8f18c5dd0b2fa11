using Lunar.Dtn.ReplicaHost;

// Usage: --id moon --peer earth --data DIR --drop DIR [--write-status N] [--servers S] [--audit]
//        [--bundle-bytes B] [--interval-deltas K] [--poll-ms P] [--retransmit-ms R] [--max-retransmit-ms M]
// Runs until stdin closes (or reads "exit"); "state" on stdin prints a state line at once.
HostArgs parsed;
try { parsed = HostArgs.Parse(args); }
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using (var node = new HostNode(parsed))
{
    node.Start();
    node.WriteScript();
    while (Console.In.ReadLine() is { } line)
    {
        var command = line.Trim();
        if (command == "exit") break;
        if (command == "state") node.PrintState();
    }
}
HostOutput.Line("bye");
return 0;
