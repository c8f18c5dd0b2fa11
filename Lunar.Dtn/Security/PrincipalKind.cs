namespace Lunar.Dtn.Security;

/// <summary>Which list of the constellation a principal is in. Its certificate's organisational unit says the same.</summary>
public enum PrincipalKind
{
    Node,
    Approver,
    Operator,
    Agent,
}
