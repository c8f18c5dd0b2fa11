namespace Lunar.Dtn.Tests.Fleet;

/// <summary>
/// The fleet tests (and the other end-to-end tests with real processes: browser, interop, relays, transfer) run one at a
/// time, and not alongside the rest of the suite,
/// so their short timeouts measure the code and not a starved 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FleetCollection
{
    public const string Name = "fleet (real processes, run alone)";
}
