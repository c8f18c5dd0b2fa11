namespace Lunar.Dtn.Hosting;

/// <summary>The "Node" configuration section (see the README's configuration table).</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>This replica's name, e.g. "earth", "moon", "tier1-alpha".</summary>
    public string Id { get; set; } = "";

    /// <summary>Where the LiteDB file, keys and the outbox live; created on first start.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>No link at all: USB bundle files only.</summary>
    public bool AirGapped { get; set; }

    /// <summary>The constellation file; unset (with <see cref="KeyFile"/> unset) means a development constellation in <see cref="DataDir"/>.</summary>
    public string? Constellation { get; set; }

    /// <summary>This node's private key file.</summary>
    public string? KeyFile { get; set; }
}
