namespace Lunar.Dtn.Hosting;

/// <summary>Which executable hosts the node; decides defaults and which endpoints exist.</summary>
public enum NodeRole
{
    Earth,
    Moon,
}
