using MessagePack;

namespace Lunar.Dtn.Model;

/// <summary>Pause the campaign when, over the last <see cref="Window"/> finished servers, the failed share exceeds <see cref="FailureRate"/>.</summary>
[MessagePackObject]
public sealed record AnomalyPolicy([property: Key(0)] double FailureRate, [property: Key(1)] int Window);
