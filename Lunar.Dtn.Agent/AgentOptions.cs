namespace Lunar.Dtn.Agent;

/// <summary>The "Agent" configuration section: which server this agent speaks for and how it upgrades it.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The server's id, e.g. "srv-00042".</summary>
    public string ServerId { get; set; } = "";

    /// <summary>Its executor node's API, e.g. "https://127.0.0.1:5081" (HTTPS only: the agent talks to its node over mutual TLS).</summary>
    public string NodeUrl { get; set; } = "";

    /// <summary>The agent's own TLS certificate (PEM), issued by the constellation's CA to this server id: DIR/srv-00042.crt.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>Its private key (PEM, mode 0600; the agent refuses one readable by others): DIR/srv-00042.key.pem.</summary>
    public string Key { get; set; } = "";

    /// <summary>The constellation's CA (PEM): the only authority the agent accepts the node's certificate from: DIR/ca.crt.</summary>
    public string CaCertificate { get; set; } = "";

    public string Site { get; set; } = "";
    public string Cluster { get; set; } = "";
    public int Tier { get; set; } = 3;
    public string RedundancyGroup { get; set; } = "";
    public bool Staging { get; set; }

    /// <summary>Its journal, downloaded pieces and the kept previous version.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>"simulated" (default) or "hooks".</summary>
    public string Driver { get; set; } = "simulated";

    /// <summary>Its own HTTP endpoint (/metrics, /healthz); any free port by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Its BitTorrent listening port; 0 means any free port.</summary>
    public int PeerPort { get; set; }

    /// <summary>The address its BitTorrent port listens on (and that the tracker sees it from).</summary>
    public string PeerHost { get; set; } = "127.0.0.1";

    /// <summary>Seconds without a byte from any peer before pieces come from the mirror's HTTP endpoint instead.</summary>
    public double StallSeconds { get; set; } = 10;

    public HooksOptions Hooks { get; set; } = new();

    public SimulatedOptions Simulated { get; set; } = new();

    /// <summary>Long-poll wait for an assignment (the node holds the request up to this long; at most 60).</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>After any failure, the server is rolled back within this time, whether or not the node answers.</summary>
    public double RollbackDeadlineSeconds { get; set; } = 300;

    /// <summary>Every problem with these options, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDir)) errors.Add("Agent:DataDir is required: the journal that survives a restart lives there");
        if (string.IsNullOrWhiteSpace(ServerId)) errors.Add("Agent:ServerId is required (e.g. --Agent:ServerId=srv-00042)");
        if (!Uri.TryCreate(NodeUrl, UriKind.Absolute, out var node) || (node.Scheme != "http" && node.Scheme != "https"))
            errors.Add($"Agent:NodeUrl '{NodeUrl}' is not an https URL of the executor node");
        else if (node.Scheme != "https")
            errors.Add($"Agent:NodeUrl '{NodeUrl}' is plain HTTP: the agent talks to its node only over mutual TLS (https://...)");
        RequireFile(errors, "Agent:Certificate", Certificate, $"the agent's certificate (e.g. DIR/{Example}.crt from 'constellation dev --agents {Example}')");
        RequireFile(errors, "Agent:Key", Key, $"the agent's private key (e.g. DIR/{Example}.key.pem)");
        RequireFile(errors, "Agent:CaCertificate", CaCertificate, "the constellation's certificate authority (e.g. DIR/ca.crt)");
        if (Tier is < 1 or > 3) errors.Add($"Agent:Tier must be 1, 2 or 3 (got {Tier})");
        if (Driver is not ("simulated" or "hooks")) errors.Add($"Agent:Driver must be 'simulated' or 'hooks' (got '{Driver}')");
        if (PeerPort is < 0 or > 65535) errors.Add($"Agent:PeerPort {PeerPort} is not a port");
        if (!System.Net.IPAddress.TryParse(PeerHost, out _)) errors.Add($"Agent:PeerHost '{PeerHost}' is not an IP address");
        if (StallSeconds <= 0 || double.IsNaN(StallSeconds)) errors.Add($"Agent:StallSeconds must be positive (got {StallSeconds})");
        if (PollSeconds is < 1 or > 60) errors.Add($"Agent:PollSeconds must be 1–60 (got {PollSeconds})");
        if (RollbackDeadlineSeconds <= 0 || double.IsNaN(RollbackDeadlineSeconds))
            errors.Add($"Agent:RollbackDeadlineSeconds must be positive (got {RollbackDeadlineSeconds})");
        Hooks.Validate(errors, required: Driver == "hooks", RollbackDeadlineSeconds);
        Simulated.Validate(errors);
        return errors;
    }

    private string Example => string.IsNullOrWhiteSpace(ServerId) ? "srv-00042" : ServerId;

    private static void RequireFile(List<string> errors, string key, string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) errors.Add($"{key} is required: {what}");
        else if (!File.Exists(path)) errors.Add($"{key} '{path}' does not exist: {what}");
    }
}
