using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Lunar.Dtn.Tests.Support;

/// <summary>
/// A logger that keeps every line (level, formatted message, and the exception's type and message), so a test can check
/// that a failure was said, not just survived; <see cref="WaitForAsync"/> waits for a line as an explicit signal.
/// </summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}" + (exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]");
        _lines.Enqueue(line);
        Interlocked.Exchange(ref _added, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The same log as an <see cref="ILogger{T}"/>, for services that ask for a typed logger.</summary>
    public ILogger<T> For<T>() => new Typed<T>(this);

    private sealed class Typed<T>(RecordingLogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The first line that matches, waiting for it up to <paramref name="timeout"/>; the timeout names <paramref name="what"/> and the lines seen.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var added = Volatile.Read(ref _added).Task;
            if (_lines.FirstOrDefault(match) is { } line) return line;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(added, Task.Delay(left)) != added)
                throw new TimeoutException($"timed out waiting for {what}; logged: {string.Join(" | ", _lines.TakeLast(20))}");
        }
    }
}
