namespace Lunar.Dtn.Security;

/// <summary>
/// The roles of the REST API and what each includes. <c>viewer</c> reads; <c>operator</c> also writes campaigns,
/// artifacts and notes; <c>admin</c> also changes the constellation and moves bundles through the API. An approver's
/// role (flight-director, base-lead, ...) includes <c>operator</c>. Nodes and agents hold none of these: a node talks
/// over the link, an agent only to the agent endpoints of its own server.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>The role of a node principal.</summary>
    public const string Node = "node";

    /// <summary>The role of an agent principal (one per server id).</summary>
    public const string Agent = "agent";

    /// <summary>The operator roles <c>constellation dev --operators</c> takes.</summary>
    public static readonly IReadOnlyList<string> OperatorRoles = [Viewer, Operator, Admin];

    /// <summary>True when a principal holding <paramref name="held"/> (of kind <paramref name="kind"/>) may act as <paramref name="needed"/>.</summary>
    public static bool Includes(PrincipalKind kind, string held, string needed) => kind switch
    {
        PrincipalKind.Operator => Rank(held) >= Rank(needed) && Rank(needed) > 0,
        PrincipalKind.Approver => Rank(needed) is > 0 and <= 2,
        _ => false,
    };

    private static int Rank(string role) => role switch { Viewer => 1, Operator => 2, Admin => 3, _ => 0 };
}
