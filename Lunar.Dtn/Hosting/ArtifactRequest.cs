namespace Lunar.Dtn.Hosting;

/// <summary>The body of POST /api/v1/artifacts.</summary>
public sealed record ArtifactRequest(string? Name, string? Version, string? Sha256, long? SizeBytes)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name)) errors["name"] = ["name is required"];
        else BodyLimits.Check(errors, BodyLimits.ArtifactFields, "name", Name);
        if (string.IsNullOrWhiteSpace(Version)) errors["version"] = ["version is required"];
        else BodyLimits.Check(errors, BodyLimits.ArtifactFields, "version", Version);
        if (Sha256 is null || Sha256.Length != 64 || !Sha256.All(Uri.IsHexDigit)) errors["sha256"] = ["sha256 is 64 hex digits"];
        if (SizeBytes is not > 0) errors["sizeBytes"] = ["sizeBytes must be positive"];
        return errors;
    }
}
