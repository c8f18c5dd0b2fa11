namespace Lunar.Dtn.Links;

/// <summary>Timing and names of a <see cref="FileDropLink"/>.</summary>
public sealed record FileDropOptions
{
    /// <summary>How often the inbox is scanned and the down marker checked.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>While a file of this name exists in the drop directory, the link is down (both ways).</summary>
    public string DownMarker { get; init; } = "link-down";
}
