using System.Text.Json;
using Lunar.Dtn.Links;
using Lunar.Dtn.Simulator.Common;

namespace Lunar.Dtn.Simulator.LinkEmulator;

/// <summary>The link emulator's --plan file: <c>{ "blackouts": [ { "start": "30s", "duration": "2m" } ] }</c>, timed from the emulator's start.</summary>
public static class ContactPlan
{
    public static IReadOnlyList<Blackout> Load(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException ex) { throw new FormatException($"{path} is not JSON: {ex.Message}"); }
        using (doc) return Parse(doc.RootElement, "plan");
    }

    /// <summary>Reads a "blackouts" array; errors name the field, e.g. "link.blackouts[1].start".</summary>
    public static IReadOnlyList<Blackout> Parse(JsonElement owner, string prefix)
    {
        if (owner.ValueKind != JsonValueKind.Object) throw new FormatException($"{prefix}: expected an object");
        if (!owner.TryGetProperty("blackouts", out var list)) return [];
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"{prefix}.blackouts: expected an array");
        var result = new List<Blackout>();
        var i = 0;
        foreach (var b in list.EnumerateArray())
        {
            var field = $"{prefix}.blackouts[{i++}]";
            if (b.ValueKind != JsonValueKind.Object) throw new FormatException($"{field}: expected {{ \"start\", \"duration\" }}");
            var start = DurationText.Parse(b.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null, field + ".start");
            var duration = DurationText.Parse(b.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null, field + ".duration");
            result.Add(new Blackout(start, duration));
        }
        return result.OrderBy(b => b.Start).ToArray();
    }
}
