using System.Text.Json;

namespace Lunar.Dtn.Simulator.Bench;

/// <summary>
/// Reads a sync workload (JSON lines: meta, init, transition, hold). Every problem is a
/// <see cref="WorkloadFormatException"/> naming the line and the field.
/// </summary>
public static class SyncWorkloadReader
{
    public static SyncWorkload ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static SyncWorkload Read(TextReader reader, string source)
    {
        WorkloadMeta? meta = null;
        var inits = new List<WorkloadInit>();
        var changes = new List<WorkloadChange>();
        var servers = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        var seenContent = false;
        while (reader.ReadLine() is { } text)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var line = new Line(source, lineNo, Parse(source, lineNo, text));
            var kind = line.String("kind");
            switch (kind)
            {
                case "meta":
                    if (seenContent) throw line.Error("kind", "'meta' may only be the first line");
                    meta = line.Meta();
                    break;
                case "init":
                    if (changes.Count > 0) throw line.Error("kind", "'init' comes after the cut-off changes began; every init line precedes them");
                    var init = line.Init();
                    if (!servers.Add(init.Id)) throw line.Error("id", $"server '{init.Id}' is initialised twice");
                    inits.Add(init);
                    break;
                case "transition":
                    changes.Add(line.Transition(servers));
                    break;
                case "hold":
                    changes.Add(line.Hold(servers));
                    break;
                default:
                    throw line.Error("kind", $"'{kind}' is not one of meta, init, transition, hold");
            }
            seenContent = true;
        }
        if (inits.Count == 0) throw new WorkloadFormatException(source, lineNo, null, "the workload has no init lines");
        return new SyncWorkload(source, meta, inits, changes);
    }

    private static JsonElement Parse(string source, int lineNo, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new WorkloadFormatException(source, lineNo, null, $"is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new WorkloadFormatException(source, lineNo, null, $"is not valid JSON ({ex.Message})");
        }
    }

    /// <summary>One JSON line and typed access to its fields, with errors that name them.</summary>
    private readonly record struct Line(string Source, int Number, JsonElement Json)
    {
        public WorkloadFormatException Error(string? field, string problem) => new(Source, Number, field, problem);

        public WorkloadMeta Meta() => new(
            (int)Long("servers", 0, int.MaxValue),
            Long("seed", long.MinValue, long.MaxValue),
            (int)Long("wave", 0, int.MaxValue),
            Json.TryGetProperty("states", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(e => e.ToString()).ToArray() : throw Error("states", "is missing or not an array"),
            Double("holdFraction"));

        public WorkloadInit Init() => new(Number, String("id"), Status("status"), String("version"), String("campaign"), String("rack"), Ts("ts"));

        public WorkloadTransition Transition(HashSet<string> servers) => new(Number, Server("id", servers),
            (int)Long("wave", 0, int.MaxValue), (int)Long("step", 1, int.MaxValue), Status("status"), Ts("ts"), OptionalString("version"));

        public WorkloadHold Hold(HashSet<string> servers) => new(Number, Server("id", servers), String("hold"), Ts("holdTs"));

        public string String(string field)
        {
            var value = OptionalString(field) ?? throw Error(field, "is missing");
            return value.Length > 0 ? value : throw Error(field, "is empty");
        }

        public string? OptionalString(string field)
        {
            if (!Json.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(field, $"is a {v.ValueKind.ToString().ToLowerInvariant()}, not a string");
        }

        private string Server(string field, HashSet<string> servers)
        {
            var id = String(field);
            return servers.Contains(id) ? id : throw Error(field, $"names server '{id}', which no init line introduced");
        }

        private string Status(string field)
        {
            var name = String(field);
            return WorkloadStatuses.TryToPhase(name, out _) ? name
                : throw Error(field, $"'{name}' is not a known status ({string.Join(", ", WorkloadStatuses.Names)})");
        }

        private long Ts(string field) => Long(field, 0, 8_000_000_000_000);

        private long Long(string field, long min, long max)
        {
            if (!Json.TryGetProperty(field, out var v)) throw Error(field, "is missing");
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) throw Error(field, $"is {Describe(v)}, not an integer");
            return n >= min && n <= max ? n : throw Error(field, $"{n} is outside [{min}, {max}]");
        }

        private double Double(string field)
        {
            if (!Json.TryGetProperty(field, out var v)) throw Error(field, "is missing");
            return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Error(field, $"is {Describe(v)}, not a number");
        }

        private static string Describe(JsonElement v) => v.ValueKind == JsonValueKind.Number ? $"{v.GetRawText()}" : $"a {v.ValueKind.ToString().ToLowerInvariant()}";
    }
}
