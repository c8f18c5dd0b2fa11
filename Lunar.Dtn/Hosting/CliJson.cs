using System.Text.Json;

namespace Lunar.Dtn.Hosting;

/// <summary>How verbs print JSON for scripts (--json): camelCase, indented, one document on stdout.</summary>
public static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(TextWriter output, object value) => output.WriteLine(JsonSerializer.Serialize(value, Options));
}
