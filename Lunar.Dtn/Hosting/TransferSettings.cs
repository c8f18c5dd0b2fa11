using Lunar.Dtn.Transfer;
using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>The "Transfer" section: how the Earth → Moon artifact transfer paces itself (see <see cref="TransferOptions"/>).</summary>
public static class TransferSettings
{
    public const string Section = "Transfer";

    /// <summary>The options, defaults where unset; every bad value is named in <paramref name="errors"/>.</summary>
    public static TransferOptions From(IConfiguration config, out IReadOnlyList<string> errors)
    {
        var s = config.GetSection(Section);
        var problems = new List<string>();
        var d = new TransferOptions();
        var options = d with
        {
            WindowChunks = SettingReader.Int(s, "WindowChunks", d.WindowChunks, 1, 4096, problems),
            AckDelay = TimeSpan.FromMilliseconds(SettingReader.Int(s, "AckDelayMs", (int)d.AckDelay.TotalMilliseconds, 1, 60_000, problems)),
            StallTimeout = TimeSpan.FromSeconds(SettingReader.Int(s, "StallTimeoutSeconds", (int)d.StallTimeout.TotalSeconds, 1, 86_400, problems)),
        };
        errors = problems;
        return options;
    }
}
