namespace Lunar.Dtn.Security.Tls;

/// <summary>
/// An HTTP client's failure in words a person can act on: HttpClient's "The SSL connection could not be established,
/// see inner exception" says nothing by itself, so the innermost causes (certificate refused, handshake timed out,
/// connection refused) are appended.
/// </summary>
public static class TransportErrors
{
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            if (!parts.Contains(e.Message)) parts.Add(e.Message.Replace(", see inner exception", "", StringComparison.Ordinal));
        return string.Join(": ", parts);
    }
}
