namespace Lunar.Dtn.ReplicaHost;

/// <summary>One line per event on stdout, whole lines only (events come from several timer threads).</summary>
internal static class HostOutput
{
    private static readonly Lock Gate = new();

    public static void Line(string text)
    {
        lock (Gate)
        {
            Console.Out.WriteLine(text.ReplaceLineEndings(" "));
            Console.Out.Flush();
        }
    }
}
