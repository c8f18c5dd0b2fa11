using Spectre.Console;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Progress of a long export or import: a Spectre.Console bar when both stdout and stderr are terminals; otherwise
/// (scripts, logs, tests) a plain line at every tenth of the way, and only for runs long enough to need it.
/// </summary>
public sealed class BundleFileProgress(TextWriter output, bool terminal)
{
    /// <summary>Below this many steps a plain run prints no progress lines (it is over at once).</summary>
    private const int PlainLinesFrom = 20;

    public static BundleFileProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public static BundleFileProgress Plain(TextWriter output) => new(output, false);

    /// <summary>Runs <paramref name="work"/>, which reports (done, total) steps, under a bar named <paramref name="stage"/>.</summary>
    public T Run<T>(string stage, Func<Action<int, int>, T> work)
    {
        if (!terminal)
        {
            var lastTenth = -1;
            return work((done, total) =>
            {
                if (total < PlainLinesFrom) return;
                var tenth = done * 10 / total;
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                output.WriteLine($"{stage}: {done}/{total}");
            });
        }
        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(stage, maxValue: 1);
                return work((done, total) =>
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                });
            });
    }
}
