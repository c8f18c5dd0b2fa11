using Lunar.Dtn.Security;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// How the constellation verbs read their lists of principals: <c>--approvers alice:flight-director,...</c>,
/// <c>--operators carol:operator,vic:viewer,ada:admin</c>, <c>--agents srv-00001,...</c> and <c>--agents-file FILE</c>
/// (one server id a line; blank lines and lines starting with # are skipped). Each returns the list, or the sentence
/// that says what is wrong with it.
/// </summary>
public static class ConstellationLists
{
    /// <summary>What a principal id may hold: it becomes a file name (P.crt) and a certificate's CN.</summary>
    public static string? CheckId(string id, string what) =>
        id.Length is 0 or > 128 ? $"{what} '{id}' must be 1 to 128 characters"
        : id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || id.StartsWith('.')
            ? $"{what} '{id}' may hold only letters, digits, '-', '_' and '.' (it names files and certificates)"
            : null;

    public static string[] Split(string? s) => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>name:role pairs; with <paramref name="allowedRoles"/>, only those roles.</summary>
    public static (List<(string Id, string Role)> Pairs, string? Problem) Pairs(string? list, string option, IReadOnlyList<string>? allowedRoles = null)
    {
        var pairs = new List<(string, string)>();
        foreach (var entry in Split(list))
        {
            var parts = entry.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return ([], $"{option} entry '{entry}' is not name:role");
            if (CheckId(parts[0], option) is { } bad) return ([], bad);
            if (allowedRoles is not null && !allowedRoles.Contains(parts[1]))
                return ([], $"{option} entry '{entry}': the role must be one of {string.Join(", ", allowedRoles)}");
            pairs.Add((parts[0], parts[1]));
        }
        return (pairs, null);
    }

    /// <summary>Server ids from <c>--agents</c> or <c>--agents-file</c> (not both); no id twice.</summary>
    public static (List<string> Ids, string? Problem) Agents(string? list, string? file)
    {
        if (list is not null && file is not null) return ([], "give --agents or --agents-file, not both");
        IEnumerable<string> ids;
        if (file is not null)
        {
            try
            {
                ids = File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ([], $"--agents-file: {ex.Message}"); }
        }
        else ids = Split(list);
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (CheckId(id, "agent") is { } bad) return ([], bad);
            if (!seen.Add(id)) return ([], $"agent '{id}' is listed twice");
            result.Add(id);
        }
        return (result, null);
    }

    /// <summary>A date for <c>--until</c>: 2027-06-30 (end of that day, UTC) or a full ISO 8601 instant.</summary>
    public static (DateTimeOffset? At, string? Problem) Until(string text)
    {
        var styles = System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            return (new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero), null);
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, styles, out var at)
            ? (at.ToUniversalTime(), null)
            : (null, $"--until '{text}' is not a date (2027-06-30) or an ISO 8601 instant (2027-06-30T12:00:00Z)");
    }

    /// <summary>Every principal of <paramref name="c"/> with the kind of its list.</summary>
    public static IEnumerable<(Principal P, PrincipalKind Kind)> WithKinds(Constellation c) =>
        c.Nodes.Select(p => (p, PrincipalKind.Node))
            .Concat(c.Approvers.Select(p => (p, PrincipalKind.Approver)))
            .Concat((c.Operators ?? []).Select(p => (p, PrincipalKind.Operator)))
            .Concat((c.Agents ?? []).Select(p => (p, PrincipalKind.Agent)));

    /// <summary>The keys revoking <paramref name="p"/> means: its Ed25519 key (nodes, approvers) and its TLS fingerprint.</summary>
    public static IEnumerable<string> KeysOf(Principal p) =>
        new[] { p.PublicKey, p.Tls }.Where(k => k is { Length: 64 }).Select(k => k!.ToLowerInvariant());
}
