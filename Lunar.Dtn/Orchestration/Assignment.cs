namespace Lunar.Dtn.Orchestration;

/// <summary>
/// What the executor asks one server to do (GET /api/v1/agents/{id}/assignment): upgrade to the campaign's
/// artifact, as attempt <see cref="Attempt"/>. The agent checks the artifact against <see cref="Sha256"/>,
/// <see cref="Version"/> and <see cref="SizeBytes"/> from the signed campaign before applying anything.
/// </summary>
public sealed record Assignment(
    string ServerId,
    string CampaignId,
    int Attempt,
    string ArtifactId,
    string ArtifactName,
    string Version,
    string Sha256,
    long SizeBytes,
    string Phase,
    IReadOnlyDictionary<string, int> PhaseTimeoutSeconds);
