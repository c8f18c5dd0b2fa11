namespace Lunar.Dtn.Tests.Properties;

/// <summary>
/// One step of a simulated script. Every field is a small number drawn by the generator; the
/// simulation turns it into ids and values from deliberately small pools, so keys and values collide.
/// <see cref="Wall"/> is how many milliseconds pass before the step (often none, so stamps tie).
/// </summary>
public sealed record SimOp(SimOpKind Kind, int Replica, int Key, int Value, int Wall, int Other)
{
    public override string ToString() => $"{Kind}(r{Replica} k{Key} v{Value} +{Wall}ms o{Other})";
}
