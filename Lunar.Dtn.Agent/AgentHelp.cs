namespace Lunar.Dtn.Agent;

/// <summary>What <c>Lunar.Dtn.Agent --help</c> prints: the agent has one job (no verbs), so its help is its configuration.</summary>
public static class AgentHelp
{
    public static bool Asked(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?" or "help");

    public const string Text = """
        Lunar.Dtn.Agent — the per-server upgrade agent: registers its server with its executor node (Moon or Tier 1),
        long-polls for an assignment, runs each phase through its driver, reports every phase, and rolls back on its own.

        Usage: Lunar.Dtn.Agent --Agent:ServerId=srv-00042 --Agent:NodeUrl=https://127.0.0.1:5081 --Agent:DataDir=DIR \
                 --Agent:Certificate=C/srv-00042.crt --Agent:Key=C/srv-00042.key.pem --Agent:CaCertificate=C/ca.crt [--Key=value ...]

        Configuration (--Key=value, environment LUNARDTN_Agent__Key=value, or appsettings.json):
          Agent:ServerId                 required: the server's id, e.g. srv-00042
          Agent:NodeUrl                  required: its executor node's API, https only, e.g. https://127.0.0.1:5081
          Agent:Certificate              required: the agent's certificate for this server id (constellation dev --agents ...: C/srv-00042.crt)
          Agent:Key                      required: its private key, mode 0600 (C/srv-00042.key.pem); refused when others can read it
          Agent:CaCertificate            required: the constellation's CA (C/ca.crt); the node's certificate must chain to it
          Agent:DataDir                  required: the journal (survives restarts)
          Agent:Site, Agent:Cluster      what it registers (site, cluster)
          Agent:Tier                     1, 2 or 3 (default 3)
          Agent:RedundancyGroup          servers of one group are never out of service together
          Agent:Staging                  true: the server belongs to the staging pool
          Agent:Driver                   simulated (default) or hooks
          Agent:Simulated:ApplySeconds, Agent:Simulated:FailureRate   the simulated driver
          Agent:Hooks:PreCheck, Apply, SmokeTest, Rollback            /bin/sh -c commands for the hooks driver
          Agent:Hooks:TimeoutSeconds (300), Agent:Hooks:<Hook>TimeoutSeconds
          Agent:RollbackDeadlineSeconds (300), Agent:PollSeconds (30)
          Agent:Urls                     its own /healthz and /metrics (default http://127.0.0.1:0: any free port)

        Exit codes: 0 stopped, 1 bad configuration (every problem named), 2 unreadable journal, 3 stopped on an error.
        """;
}
