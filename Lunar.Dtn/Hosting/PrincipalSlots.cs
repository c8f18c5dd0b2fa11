using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Long-lived requests (live feed clients, agent long polls) counted per authenticated principal and in total: one caller
/// opening hundreds cannot take what everyone else needs. Over either cap the request is refused at once with a 429 problem
/// that names the cap and its configuration key; a slot is given back when its request ends, however it ends.
/// </summary>
public sealed class PrincipalSlots(string what, int perPrincipal, int total, string perPrincipalKey, string totalKey)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private int _total;

    public int PerPrincipal { get; } = perPrincipal;

    public int Total { get; } = total;

    /// <summary>Slots held now, in total.</summary>
    public int InUse { get { lock (_gate) return _total; } }

    /// <summary>Slots <paramref name="principal"/> holds now.</summary>
    public int HeldBy(string principal) { lock (_gate) return _held.GetValueOrDefault(principal); }

    /// <summary>A slot for <paramref name="principal"/> (dispose it when the request ends), or null and the 429 problem to answer.</summary>
    public IDisposable? TryTake(string principal, out IResult? refusal)
    {
        lock (_gate)
        {
            var mine = _held.GetValueOrDefault(principal);
            if (mine >= PerPrincipal)
            {
                refusal = TooMany($"{principal} already has {BodyLimits.N(mine)} {what} open; each principal may have at most {BodyLimits.N(PerPrincipal)} ({perPrincipalKey}): close one first",
                    PerPrincipal, "principal");
                return null;
            }
            if (_total >= Total)
            {
                refusal = TooMany($"this node already serves {BodyLimits.N(_total)} {what}, its cap for all principals together ({totalKey} = {BodyLimits.N(Total)}): retry later",
                    Total, "node");
                return null;
            }
            _held[principal] = mine + 1;
            _total++;
        }
        refusal = null;
        return new Slot(this, principal);
    }

    private void Give(string principal)
    {
        lock (_gate)
        {
            _total--;
            if (_held.TryGetValue(principal, out var n) && n > 1) _held[principal] = n - 1;
            else _held.Remove(principal);
        }
    }

    private static IResult TooMany(string detail, int limit, string scope) =>
        Results.Problem(title: "Too many requests", detail: detail, statusCode: StatusCodes.Status429TooManyRequests,
            extensions: new Dictionary<string, object?> { ["limit"] = limit, ["scope"] = scope });

    private sealed class Slot(PrincipalSlots owner, string principal) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Give(principal);
        }
    }
}
