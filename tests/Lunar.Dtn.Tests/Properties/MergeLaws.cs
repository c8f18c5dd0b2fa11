namespace Lunar.Dtn.Tests.Properties;

/// <summary>The three join-semilattice laws, checked on canonical bytes.</summary>
public static class MergeLaws
{
    public static void Commutative<T>(Triple<T> t, Func<T, T, T> merge) =>
        Canon.AssertSame(merge(t.A, t.B), merge(t.B, t.A), "commutativity: a+b = b+a");

    public static void Associative<T>(Triple<T> t, Func<T, T, T> merge) =>
        Canon.AssertSame(merge(merge(t.A, t.B), t.C), merge(t.A, merge(t.B, t.C)), "associativity: (a+b)+c = a+(b+c)");

    public static void Idempotent<T>(Triple<T> t, Func<T, T, T> merge)
    {
        Canon.AssertSame(t.A, merge(t.A, t.A), "idempotence: a+a = a");
        var ab = merge(t.A, t.B);
        Canon.AssertSame(ab, merge(ab, t.B), "idempotence: (a+b)+b = a+b");
    }

    public static void All<T>(Triple<T> t, Func<T, T, T> merge)
    {
        Commutative(t, merge);
        Associative(t, merge);
        Idempotent(t, merge);
    }
}
