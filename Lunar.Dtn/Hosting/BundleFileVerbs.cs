using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.BundleFiles;
using Lunar.Dtn.Bundles;
using Lunar.Dtn.Crdt;
using Lunar.Dtn.Security;
using Lunar.Dtn.Storage;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// What <c>bundle export</c>, <c>import</c> and <c>inspect</c> do, on a stopped node's data folder or, with a URL,
/// through a running node's API. Exit codes: 0 done (import: the file was valid, even if everything was known);
/// 1 configuration or usage problem, or the node could not be reached; 2 the file is invalid (one line says why;
/// nothing was applied).
/// </summary>
public static class BundleFileVerbs
{
    public const int Invalid = 2;
    public const string MediaType = "application/vnd.lunar-dtn.bundle-file";

    public static async Task<int> ExportAsync(string[] tokens, string outPath, string? destination, string? since, NodeCall? nodeUrl,
        TextWriter output, TextWriter errors, BundleFileProgress progress, CancellationToken ct)
    {
        VersionVector? sinceVector = null;
        if (since is not null)
        {
            if (!VersionVectorText.TryParse(since, out var v, out var problem)) { errors.WriteLine($"--since: {problem}"); return NodeDataFolder.ConfigurationProblem; }
            sinceVector = v;
        }
        byte[] bytes;
        BundleFileManifest manifest;
        if (nodeUrl is not null)
        {
            var fetched = await FetchExportAsync(nodeUrl, destination, since, errors, ct).ConfigureAwait(false);
            if (fetched is null) return NodeDataFolder.ConfigurationProblem;
            bytes = fetched;
            var read = BundleFileReader.Read(bytes, null, null, DateTimeOffset.UnixEpoch);
            if (!read.Ok) { errors.WriteLine($"the node at {nodeUrl} sent an unreadable file: {read.Rejection}"); return NodeDataFolder.ConfigurationProblem; }
            manifest = read.File!.Manifest;
        }
        else
        {
            using var runtime = NodeDataFolder.Open(tokens, output, errors);
            if (runtime is null) return NodeDataFolder.ConfigurationProblem;
            var target = destination ?? BundleHeader.Broadcast;
            if (BundleFileExporter.CheckDestination(runtime.Replica, target) is { } bad) { errors.WriteLine($"--for: {bad}"); return NodeDataFolder.ConfigurationProblem; }
            var file = BundleFileExporter.Export(runtime.Replica, target, sinceVector, ContentOf(runtime));
            bytes = file.Seal(runtime.Key);
            manifest = file.Manifest;
        }
        var path = TargetPath(outPath, manifest);
        progress.Run("writing", report => { AtomicFile.Write(path, bytes, report); return 0; });
        output.WriteLine($"wrote {path}: {manifest.Sections.Count} bundles, {manifest.Deltas} deltas, {bytes.Length} bytes, from {manifest.Source} for {manifest.Destination}");
        output.WriteLine($"  assumed the destination holds {manifest.Since}; {manifest.Source} holds {manifest.SourceHas}");
        return 0;
    }

    public static async Task<int> ImportAsync(string[] tokens, string filePath, NodeCall? nodeUrl, TextWriter output, TextWriter errors,
        BundleFileProgress progress, CancellationToken ct)
    {
        var bytes = ReadFile(filePath, errors);
        if (bytes is null) return Invalid;
        if (nodeUrl is not null) return await ImportThroughNodeAsync(nodeUrl, filePath, bytes, output, errors, ct).ConfigureAwait(false);

        using var runtime = NodeDataFolder.Open(tokens, output, errors);
        if (runtime is null) return NodeDataFolder.ConfigurationProblem;
        var check = progress.Run("checking bundles", report => BundleFileImporter.Check(bytes, runtime.Replica, runtime.Store, report));
        if (!check.Ok) return Refused(filePath, check.Rejection!, errors);
        var result = progress.Run("applying bundles", report => BundleFileImporter.Apply(check.File!, runtime.Replica, report, ContentOf(runtime)));
        Print(result, output);
        return 0;
    }

    /// <summary>The stopped node's artifact store (the same folder a serving node uses).</summary>
    private static Artifacts.ArtifactContentStore ContentOf(NodeRuntime runtime) => new(Path.Combine(runtime.Options.DataDir, "artifacts"));

    public static int Inspect(string[] tokens, string filePath, bool json, TextWriter output, TextWriter errors)
    {
        var bytes = ReadFile(filePath, errors);
        if (bytes is null) return Invalid;
        TrustStore? trust = null;
        var constellation = NodeDataFolder.Configuration(tokens)["Node:Constellation"];
        if (!string.IsNullOrWhiteSpace(constellation))
        {
            try { trust = Constellation.Load(constellation).ToTrustStore(); }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                errors.WriteLine($"Node:Constellation: {ex.Message}");
                return NodeDataFolder.ConfigurationProblem;
            }
        }
        var read = BundleFileReader.Read(bytes, trust, null, DateTimeOffset.UnixEpoch);
        if (!read.Ok) return Refused(filePath, read.Rejection!, errors);
        var m = read.File!.Manifest;
        var signature = trust is null ? "not checked (give --Node:Constellation=FILE to check it)" : $"valid, by {m.Source}";
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                format = BundleFileFormat.CurrentVersion, source = m.Source, destination = m.Destination,
                createdAt = DateTimeOffset.FromUnixTimeMilliseconds(m.CreatedAtMs), bytes = bytes.Length, signature,
                sourceHas = m.SourceHas.ToString(), since = m.Since.ToString(), deltas = m.Deltas,
                sections = m.Sections.Select(s => new { kind = s.Kind.ToString(), bundleKind = s.BundleKind?.ToString(), s.Length, sha256 = Convert.ToHexStringLower(s.Sha256), s.Deltas, s.Intervals }),
                artifacts = m.Artifacts,
            }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            return 0;
        }
        output.WriteLine($"bundle file format {BundleFileFormat.CurrentVersion}, {bytes.Length} bytes");
        output.WriteLine($"from {m.Source} for {m.Destination}, made {DateTimeOffset.FromUnixTimeMilliseconds(m.CreatedAtMs):u}");
        output.WriteLine($"whole-file signature: {signature}");
        output.WriteLine($"{m.Source} held   {m.SourceHas}");
        output.WriteLine($"assumed held {m.Since}");
        for (var i = 0; i < m.Sections.Count; i++)
        {
            var s = m.Sections[i];
            var what = s.Kind == BundleFileSectionKind.SyncBundle ? $"{s.BundleKind} bundle, {s.Deltas} deltas" : $"artifact content of {s.ArtifactId}";
            output.WriteLine($"  {i + 1,3}. {what}, {s.Length} bytes, sha256 {Convert.ToHexStringLower(s.Sha256)[..16]}...");
            foreach (var interval in s.Intervals) output.WriteLine($"       {interval}");
        }
        foreach (var a in m.Artifacts)
            output.WriteLine($"  artifact {a.Id[..Math.Min(16, a.Id.Length)]}... {a.Name} {a.Version}, {a.SizeBytes} bytes: content {(a.ContentIncluded ? "included" : a.SourceHolds ? "not included (the destination is its origin, or said it holds it)" : "not included (the writer does not hold it)")}");
        return 0;
    }

    private static int Refused(string filePath, BundleFileRejection rejection, TextWriter errors)
    {
        errors.WriteLine($"refused {filePath}: {rejection.Reason}; nothing was applied");
        return Invalid;
    }

    private static void Print(BundleFileImportReport result, TextWriter output)
    {
        foreach (var line in result.Lines) output.WriteLine(line);
        output.WriteLine(result.Summary);
    }

    /// <summary>The file's bytes, or null after one line saying why it cannot be a bundle file.</summary>
    private static byte[]? ReadFile(string path, TextWriter errors)
    {
        string? problem = null;
        if (Directory.Exists(path)) problem = "it is a directory, not a bundle file";
        else if (!File.Exists(path)) problem = "no such file";
        else if (new FileInfo(path).Length > BundleFileFormat.MaxFileLength) problem = $"{new FileInfo(path).Length} bytes is over the limit of {BundleFileFormat.MaxFileLength}";
        if (problem is null)
        {
            try { return File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { problem = ex.Message; }
        }
        errors.WriteLine($"refused {path}: {problem}; nothing was applied");
        return null;
    }

    /// <summary>--out as given; a folder (the mounted stick) gets a file named for source, destination and time.</summary>
    private static string TargetPath(string outPath, BundleFileManifest m)
    {
        if (!Directory.Exists(outPath)) return outPath;
        var to = m.Destination == BundleHeader.Broadcast ? "all" : m.Destination;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(m.CreatedAtMs).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine(outPath, $"{m.Source}-to-{to}-{at}{BundleFileFormat.Extension}");
    }

    private static async Task<byte[]?> FetchExportAsync(NodeCall nodeUrl, string? destination, string? since, TextWriter errors, CancellationToken ct)
    {
        var (client, problem) = Client(nodeUrl);
        if (client is null) { errors.WriteLine(problem); return null; }
        using var http = client;
        var query = new List<string>();
        if (destination is not null) query.Add("for=" + Uri.EscapeDataString(destination));
        if (since is not null) query.Add("since=" + Uri.EscapeDataString(since));
        try
        {
            using var response = await http.GetAsync("/api/v1/bundles/export" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            errors.WriteLine($"the node at {nodeUrl} refused the export: {await DetailOf(response, ct).ConfigureAwait(false)}");
            return null;
        }
        catch (HttpRequestException ex)
        {
            errors.WriteLine($"cannot reach the node at {nodeUrl}: {ex.Message}");
            return null;
        }
    }

    private static async Task<int> ImportThroughNodeAsync(NodeCall nodeUrl, string filePath, byte[] bytes, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var (client, problem) = Client(nodeUrl);
        if (client is null) { errors.WriteLine(problem); return NodeDataFolder.ConfigurationProblem; }
        using var http = client;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        try
        {
            using var response = await http.PostAsync("/api/v1/bundles/import", content, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var result = await response.Content.ReadFromJsonAsync<BundleFileImportReport>(ct).ConfigureAwait(false);
                Print(result!, output);
                return 0;
            }
            var detail = await DetailOf(response, ct).ConfigureAwait(false);
            if ((int)response.StatusCode == 400) { errors.WriteLine($"refused {filePath}: {detail}"); return Invalid; }
            errors.WriteLine($"the node at {nodeUrl} answered {(int)response.StatusCode}: {detail}");
            return NodeDataFolder.ConfigurationProblem;
        }
        catch (HttpRequestException ex)
        {
            errors.WriteLine($"cannot reach the node at {nodeUrl}: {ex.Message}");
            return NodeDataFolder.ConfigurationProblem;
        }
    }

    private static (HttpClient? Client, string? Problem) Client(NodeCall node) => CliCredentials.Client(node.Url, node.Cert, node.Ca, TimeSpan.FromMinutes(10));

    private static async Task<string> DetailOf(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try { return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString() ?? text; }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException) { return text.Length > 200 ? text[..200] : text; }
    }
}
