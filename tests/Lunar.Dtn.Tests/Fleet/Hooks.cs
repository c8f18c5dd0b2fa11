namespace Lunar.Dtn.Tests.Fleet;

/// <summary>The tiny shell commands the fleet's hooks are made of.</summary>
public static class Hooks
{
    /// <summary>Appends "name server attempt" to <paramref name="log"/> (one short O_APPEND write: lines never interleave), then runs <paramref name="then"/>.</summary>
    public static string Logged(string log, string name, string then = "true") =>
        $"echo \"{name} $LUNAR_SERVER_ID $LUNAR_ATTEMPT\" >> '{log}'; {then}";

    public const string Succeeds = "true";

    public const string Fails = "echo 'apply broke on purpose' >&2; exit 1";

    /// <summary>Far beyond any hook timeout of these tests: only the agent's kill ends it.</summary>
    public const string Hangs = "exec sleep 300";
}
