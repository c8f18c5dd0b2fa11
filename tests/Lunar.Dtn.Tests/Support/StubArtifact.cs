namespace Lunar.Dtn.Tests.Support;

/// <summary>An artifact's bytes and the sha256 an assignment signs for them.</summary>
public sealed record StubArtifact(byte[] Content)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content));
}
