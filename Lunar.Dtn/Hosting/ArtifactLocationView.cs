using Lunar.Dtn.Transfer;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Where an artifact's content is, as this node knows it. <see cref="State"/>: <c>held</c> (verified here, nothing left to
/// send), <c>sending</c> (held here, a peer still lacks it: see <see cref="Sending"/>), <c>receiving</c> (chunks arriving:
/// see <see cref="Receiving"/>), <c>not-here</c>. <see cref="HeldBy"/>: this node and the peers whose last status says they
/// hold it whole. <see cref="OnMoonMirror"/>: on a Moon node, held here; on Earth, held by a linked peer (Earth links to the Moon).
/// </summary>
public sealed record ArtifactLocationView(
    string Origin, string State, bool HeldHere, bool OnMoonMirror, IReadOnlyList<string> HeldBy,
    IncomingProgress? Receiving, IReadOnlyList<OutgoingProgress> Sending);
