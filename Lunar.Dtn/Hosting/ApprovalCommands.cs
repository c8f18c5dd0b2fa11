using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Lunar.Dtn.Model;
using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// <c>approver new --name N --role R --out FILE</c> makes an approver's key pair;
/// <c>approve --campaign ID --key FILE --node URL [--cert FILE.pem] [--ca FILE]</c> signs the campaign's current content hash
/// with the approver's Ed25519 key and posts it, authenticated by the approver's certificate (by default the one beside the
/// key: <c>DIR/alice.key</c> → <c>DIR/alice.pem</c>, and <c>DIR/ca.crt</c>).
/// </summary>
public static class ApprovalCommands
{
    public static Command Approver()
    {
        var name = new Option<string>("--name") { Description = "The approver's id, e.g. alice", Required = true };
        var role = new Option<string>("--role") { Description = "Their role, e.g. flight-director or base-lead", Required = true };
        var output = new Option<string>("--out") { Description = "Private key file to write (the public part goes to FILE.pub.json)", Required = true };
        var create = new Command("new", "Make an approver key pair; add the printed principal to the constellation") { name, role, output };
        create.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            if (File.Exists(path)) { Console.Error.WriteLine($"{path} exists; refusing to overwrite a private key"); return 2; }
            using var key = NodeKey.Generate(parse.GetValue(name)!);
            key.Save(path);
            var principal = new Principal(key.Id, parse.GetValue(role)!, key.PublicKeyHex);
            File.WriteAllText(path + ".pub.json", JsonSerializer.Serialize(principal));
            Console.WriteLine(JsonSerializer.Serialize(principal));
            Console.Error.WriteLine($"wrote {path} (private, keep it safe) and {path}.pub.json (public: add it to the constellation)");
            return 0;
        });
        return new Command("approver", "Approver keys") { create };
    }

    public static Command Approve()
    {
        var campaign = new Option<string>("--campaign") { Description = "The campaign id", Required = true };
        var keyFile = new Option<string>("--key") { Description = "The approver's private key file", Required = true };
        var node = new Option<string>("--node") { Description = "A node's API, e.g. https://127.0.0.1:5080", Required = true };
        var cert = CliCredentials.CertOption();
        cert.Description += " (default: P.pem beside --key P.key)";
        var ca = CliCredentials.CaOption();
        ca.Description += " (default: ca.crt beside --key)";
        var role = new Option<string?>("--role") { Description = "The approver's role (default: from KEY.pub.json)" };
        var reject = new Option<bool>("--reject") { Description = "Sign a rejection instead of an approval" };
        var json = new Option<bool>("--json") { Description = "Print the node's answer as JSON" };
        var command = new Command("approve", "Sign a campaign's current content hash with your key and submit it") { campaign, keyFile, node, cert, ca, role, reject, json };
        command.SetAction(async (parse, ct) =>
        {
            NodeKey key;
            try { key = NodeKey.Load(parse.GetValue(keyFile)!); }
            catch (Exception ex) when (ex is IOException or FormatException) { Console.Error.WriteLine($"--key: {ex.Message}"); return 2; }
            using (key)
            {
                var r = parse.GetValue(role) ?? RoleFromSidecar(parse.GetValue(keyFile)!);
                if (r is null) { Console.Error.WriteLine("--role is required (no KEY.pub.json next to the key to read it from)"); return 2; }
                var beside = CliCredentials.BesideKey(parse.GetValue(keyFile)!);
                var (client, problem) = CliCredentials.Client(parse.GetValue(node)!, parse.GetValue(cert) ?? beside.Cert, parse.GetValue(ca) ?? beside.Ca, TimeSpan.FromSeconds(30));
                if (client is null) return Fail(problem!);
                using var http = client;
                var id = parse.GetValue(campaign)!;
                try
                {
                    using var get = await http.GetAsync($"/api/v1/campaigns/{Uri.EscapeDataString(id)}", ct).ConfigureAwait(false);
                    if (!get.IsSuccessStatusCode) return Fail(await ProblemOf(get, ct).ConfigureAwait(false));
                    var hash = (await get.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("contentHash").GetString()!;
                    var decision = parse.GetValue(reject) ? ApprovalDecision.Reject : ApprovalDecision.Approve;
                    var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    var signature = key.Sign(ApprovalRecord.SigningBytes(id, hash, decision, key.Id, r, at));
                    using var post = await http.PostAsJsonAsync($"/api/v1/approvals/{Uri.EscapeDataString(id)}", new
                    {
                        approverId = key.Id, role = r, contentHash = hash, decision = decision.ToString().ToLowerInvariant(),
                        signedAtMs = at, signature = Convert.ToHexStringLower(signature),
                    }, ct).ConfigureAwait(false);
                    if (!post.IsSuccessStatusCode) return Fail(await ProblemOf(post, ct).ConfigureAwait(false));
                    var answer = await post.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
                    Console.WriteLine(parse.GetValue(json) ? answer.GetRawText()
                        : $"{key.Id} ({r}) signed campaign {id} at content {hash[..12]}; quorum {(answer.GetProperty("quorumHolds").GetBoolean() ? "holds" : "not yet: missing " + string.Join(", ", answer.GetProperty("missing").EnumerateArray().Select(m => m.GetString())))}");
                    return 0;
                }
                catch (HttpRequestException ex) { return Fail($"cannot reach {parse.GetValue(node)}: {ex.Message}"); }
            }
        });
        return command;
    }

    private static string? RoleFromSidecar(string keyFile)
    {
        var path = keyFile + ".pub.json";
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Principal>(File.ReadAllText(path))?.Role; }
        catch (JsonException) { return null; }
    }

    private static async Task<string> ProblemOf(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try { return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString() ?? text; }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException) { return $"{(int)response.StatusCode} {text}"; }
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 2;
    }
}
