namespace Lunar.Dtn.Bundles;

/// <summary>Send order on a link: lower values go first.</summary>
public enum BundlePriority : byte
{
    /// <summary>Campaign control and definitions, approvals, acknowledgements.</summary>
    Control = 0,
    /// <summary>Server status, inventory, audit.</summary>
    Status = 1,
    /// <summary>Artifact chunks.</summary>
    Bulk = 2,
}
