using System.Text.Json;

namespace Lunar.Dtn.Agent.Journal;

/// <summary>
/// The agent's journal: one small JSON file in the data folder, replaced atomically on every change
/// (temp file, fsync, rename), so after a crash it holds either the old state or the new one, never a torn mix.
/// Every change goes through <see cref="Update"/>, one at a time.
/// </summary>
public sealed class AgentJournal
{
    public const string FileName = "journal.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly string _path;
    private JournalState _state;

    private AgentJournal(string path, JournalState state)
    {
        _path = path;
        _state = state;
    }

    public JournalState State { get { lock (_gate) return _state; } }

    /// <summary>Opens (or starts) the journal in <paramref name="dataDir"/>; a journal that cannot be read stops the agent rather than being silently forgotten.</summary>
    public static AgentJournal Open(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path)) return new AgentJournal(path, new JournalState());
        try
        {
            var state = JsonSerializer.Deserialize<JournalState>(File.ReadAllBytes(path), Json)
                ?? throw new InvalidDataException("the file holds null");
            return new AgentJournal(path, state);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"journal {path} cannot be read ({e.Message}); move it aside only if the server's state is known", e);
        }
    }

    /// <summary>Applies <paramref name="change"/>, makes the result durable, and only then makes it the current state.</summary>
    public JournalState Update(Func<JournalState, JournalState> change)
    {
        lock (_gate)
        {
            var next = change(_state);
            if (ReferenceEquals(next, _state)) return next;
            Write(next);
            _state = next;
            return next;
        }
    }

    private void Write(JournalState state)
    {
        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, state, Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }
}
