using System.Globalization;
using Lunar.Dtn.Bundles;

namespace Lunar.Dtn.Links;

/// <summary>
/// Names in a file drop. A bundle file is "P-SSSSSSSSSSSSSSSSSSS.bundle": priority digit, then a stamp that
/// increases per sender, both fixed width, so ordinal name order is priority order, then send order.
/// Temporary files start with a dot and end in ".tmp"; readers never look at them.
/// </summary>
internal static class FileDropNames
{
    public const string BundleExtension = ".bundle";
    public const string TempExtension = ".tmp";

    public static string Inbox(string root, string nodeId) => Path.Combine(root, "to-" + nodeId);

    public static string Bundle(BundlePriority priority, long stamp) =>
        string.Create(CultureInfo.InvariantCulture, $"{(byte)priority:D1}-{stamp:D19}{BundleExtension}");

    public static string Temp(long stamp) =>
        string.Create(CultureInfo.InvariantCulture, $".{stamp:D19}-{Guid.NewGuid():N}{TempExtension}");

    public static void CheckId(string id, string paramName)
    {
        if (string.IsNullOrWhiteSpace(id) || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.Contains('/') || id.Contains('\\') || id is "." or "..")
            throw new ArgumentException($"'{id}' cannot name a drop directory", paramName);
    }
}
