using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lunar.Dtn.Simulator.Scenarios;
using Lunar.Dtn.Simulator.World;

namespace Lunar.Dtn.Simulator.Report;

/// <summary>
/// report.html: one self-contained page (inline style, no script, no CDN) with the scenario in sentences and as JSON,
/// the key figures and the charts by relative path. It leaves out the wall-clock figures, so it is as deterministic
/// as report.json without them.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo F = CultureInfo.InvariantCulture;

    private const string Style = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}
        table{border-collapse:collapse;margin:.6em 0} td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3} td.n{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:#1a7f37;font-weight:bold} .bad{color:#c62828;font-weight:bold} .note{color:#555;font-size:.92em}
        pre{background:#f6f8fa;border:1px solid #ddd;padding:.8em;overflow:auto;font-size:.85em} img{max-width:100%;border:1px solid #ddd;margin:.5em 0}
        """;

    public static string Render(Scenario s, Dictionary<string, object?> report, IReadOnlyList<string> charts)
    {
        var r = JsonNode.Parse(RunReport.ToJson(report))!.AsObject();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append($"<title>Simulation report: {E(s.Name)} (seed {s.Seed})</title><style>{Style}</style></head><body>\n");
        var violations = r["violations"]!.AsArray();
        html.Append($"<h1>Simulation report: {E(s.Name)}, seed {s.Seed}</h1>\n<p>");
        html.Append(violations.Count == 0 ? "<span class=\"ok\">Every invariant held.</span> " : $"<span class=\"bad\">{violations.Count} invariant violation(s): the run stopped at the first.</span> ");
        html.Append((bool)r["completed"]! ? "The campaign completed." : "<span class=\"bad\">The campaign did not complete.</span>");
        html.Append("</p>\n<h2>Scenario</h2>\n<ul>");
        foreach (var line in ScenarioSummary.Of(s)) html.Append($"<li>{E(line)}</li>");
        html.Append("</ul>\n");
        Figures(html, r);
        Convergence(html, r);
        Invariants(html, r);
        html.Append("<h2>Charts</h2>\n");
        foreach (var chart in charts) html.Append($"<p><img src=\"{E(chart)}\" alt=\"{E(Path.GetFileNameWithoutExtension(chart).Replace('-', ' '))}\"></p>\n");
        html.Append("<h2>Scenario as run (JSON, every default filled in)</h2>\n<p class=\"note\">Save it as a file to replay the run: <code>dotnet run --project simulator -c Release -- run --scenario FILE.json</code></p>\n");
        html.Append($"<pre>{E(ScenarioWriter.ToJson(s))}</pre>\n</body></html>\n");
        return html.ToString();
    }

    private static void Figures(StringBuilder html, JsonObject r)
    {
        html.Append("<h2>Key figures</h2>\n<table>");
        Row(html, "campaign hours", Num(r["campaignHours"]));
        Row(html, "lower bound hours", Num(r["lowerBoundHours"]));
        Row(html, "campaign / lower bound", Num(r["campaignToLowerBound"]));
        html.Append("</table>\n");
        html.Append($"<p class=\"note\">The lower bound is what no scheduler could beat for this run: {E((string?)r["lowerBoundExplanation"] ?? "")}.</p>\n");
        html.Append("<table><tr><th>tier</th><th>done after (hours)</th></tr>");
        foreach (var (tier, hours) in r["tierHours"]!.AsObject()) html.Append($"<tr><td>Tier {E(tier)}</td><td class=\"n\">{Num(hours)}</td></tr>");
        html.Append("</table>\n<table><tr><th>servers</th><th></th></tr>");
        foreach (var (name, value) in r["servers"]!.AsObject()) Row(html, name, Num(value));
        html.Append("</table>\n<table><tr><th>bytes</th><th></th></tr>");
        var bytes = r["bytes"]!.AsObject();
        foreach (var (name, value) in bytes)
        {
            if (value is JsonObject kinds) Row(html, name, string.Join(", ", kinds.Select(k => $"{k.Key} {Num(k.Value)}")));
            else if (name != "note") Row(html, name, Num(value));
        }
        html.Append("</table>\n");
        if ((string?)bytes["note"] is { } note) html.Append($"<p class=\"note\">{E(note)}</p>\n");
        if (r["artifact"] is JsonObject a && a["swarm"] is JsonObject sw)
        {
            var held = a["mirrorHoldsHours"] is { } h ? $"the Moon held it, verified, {Num(h)} h in" : "it never reached the Moon";
            html.Append($"<p>The artifact ({Num(a["sizeBytes"])} bytes) crossed the Earth link as {Num(bytes["earthArtifact"])} bytes of signed chunk bundles " +
                $"({((double?)bytes["earthArtifactRatio"] ?? 0).ToString("0.#####", F)}× its size); {E(held)}. The lunar swarm delivered {Num(bytes["artifactDelivered"])} bytes in " +
                $"{Num(sw["pieces"])} pieces of {Num(sw["pieceBytes"])} bytes: {Num(bytes["peer"])} from peers, {Num(bytes["mirrorEgress"])} from the mirror " +
                $"(mirror egress {((double?)bytes["mirrorEgressShare"] ?? 0).ToString("0.####%", F)} of what was delivered); downloads took {Num(sw["downloadSeconds"]!["mean"])} s on average, " +
                $"{Num(sw["downloadSeconds"]!["max"])} s at most.</p>\n");
        }
    }

    private static void Convergence(StringBuilder html, JsonObject r)
    {
        var c = r["convergence"]!.AsObject();
        html.Append("<h2>Convergence</h2>\n<table>");
        Row(html, "converged at the end", (bool)c["converged"]! ? "<span class=\"ok\">yes</span>" : "<span class=\"bad\">no</span>", raw: true);
        Row(html, "Earth's longest lag behind the Moon (s)", Num(c["maxLagSeconds"]));
        html.Append("</table>\n");
        var catchUps = c["catchUps"]!.AsArray();
        if (catchUps.Count > 0)
        {
            html.Append("<p>Earth's catch-up after each blackout, against a loss-free delivery:</p>\n<table><tr><th>contact back at (h)</th><th>caught up after (s)</th>" +
                "<th>loss-free (s)</th><th>extra (s)</th><th>extra round trips</th><th>retransmissions</th><th>bundles lost</th></tr>");
            foreach (var u in catchUps)
                html.Append($"<tr><td class=\"n\">{Num(u!["blackoutEndHours"])}</td><td class=\"n\">{Num(u["seconds"])}</td><td class=\"n\">{Num(u["lossFreeSeconds"])}</td>" +
                    $"<td class=\"n\">{Num(u["extraSeconds"])}</td><td class=\"n\">{Num(u["extraRoundTrips"])}</td><td class=\"n\">{Num(u["retransmissions"])}</td><td class=\"n\">{Num(u["bundlesLost"])}</td></tr>");
            html.Append($"</table>\n<p class=\"note\">{E((string?)c["catchUpExplanation"] ?? "")}.</p>\n");
        }
        var loss = c["loss"]!.AsObject();
        html.Append("<p>Loss on the Earth link and what it cost:</p>\n<table>");
        Row(html, "link loss", Num(loss["linkLoss"]));
        Row(html, "bundles lost (Earth → Moon, Moon → Earth)", $"{Num(loss["bundlesLost"]!["earthToMoon"])}, {Num(loss["bundlesLost"]!["moonToEarth"])}");
        Row(html, "retransmissions (by Earth, by the Moon)", $"{Num(loss["retransmissions"]!["earth"])}, {Num(loss["retransmissions"]!["moon"])}");
        Row(html, "loss episodes (and interrupted by a blackout or crash)", $"{Num(loss["episodes"])} ({Num(loss["interrupted"])})");
        Row(html, "extra delay in all (s)", Num(loss["extraSecondsTotal"]));
        Row(html, "extra round trips per episode (mean, max)", $"{Num(loss["extraRoundTrips"]!["mean"])}, {Num(loss["extraRoundTrips"]!["max"])}");
        Row(html, "episodes by extra round trips", string.Join(", ", loss["extraRoundTripsHistogram"]!.AsObject().Select(kv => $"{kv.Key}: {Num(kv.Value)}")));
        html.Append($"</table>\n<p class=\"note\">{E((string?)loss["explanation"] ?? "")}.</p>\n");
        var episodes = loss["firstEpisodes"]!.AsArray();
        if (episodes.Count == 0) return;
        html.Append("<details><summary>Each loss episode (the first ones)</summary>\n<table><tr><th>at (h)</th><th>direction</th><th>retransmissions</th><th>bundles lost</th><th>extra (s)</th><th>extra round trips</th></tr>");
        foreach (var e in episodes)
            html.Append($"<tr><td class=\"n\">{Num(e!["atHours"])}</td><td>{E((string?)e["direction"] ?? "")}</td><td class=\"n\">{Num(e["retransmissions"])}</td>" +
                $"<td class=\"n\">{Num(e["bundlesLost"])}</td><td class=\"n\">{Num(e["extraSeconds"])}</td><td class=\"n\">{Num(e["extraRoundTrips"])}</td></tr>");
        html.Append("</table></details>\n");
    }

    private static void Invariants(StringBuilder html, JsonObject r)
    {
        html.Append("<h2>Invariants</h2>\n<table><tr><th>invariant</th><th>violations</th></tr>");
        foreach (var (name, count) in r["invariants"]!.AsObject())
        {
            var n = (int)count!;
            html.Append($"<tr><td>{E(name)}</td><td class=\"n {(n == 0 ? "ok" : "bad")}\">{n}</td></tr>");
        }
        html.Append("</table>\n");
        var violations = r["violations"]!.AsArray();
        if (violations.Count == 0) return;
        html.Append("<table><tr><th>invariant</th><th>at</th><th>where</th><th>what</th></tr>");
        foreach (var v in violations)
            html.Append($"<tr><td>{E((string?)v!["invariant"] ?? "")}</td><td>{E(v["at"]?.ToString() ?? "")}</td><td>{E((string?)v["where"] ?? "")}</td><td>{E((string?)v["what"] ?? "")}</td></tr>");
        html.Append($"</table>\n<p>Replay: <code>{E((string?)r["replay"] ?? "")}</code></p>\n");
    }

    private static void Row(StringBuilder html, string name, string value, bool raw = false) =>
        html.Append($"<tr><td>{E(name)}</td><td class=\"n\">{(raw ? value : E(value))}</td></tr>");

    private static string Num(JsonNode? n) => n switch
    {
        null => "—",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString("N0", F),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", F),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "yes" : "no",
        _ => n.ToJsonString(),
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
