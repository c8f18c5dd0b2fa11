using Microsoft.Extensions.Configuration;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// The caps on long-lived requests (README, Limits): live feed clients (<c>Dashboard:*</c>) and agent long polls
/// (<c>Agents:*</c>), each per principal and in total.
/// </summary>
public sealed record LimitSettings(int FeedClientsPerPrincipal, int FeedClients, int LongPollsPerPrincipal, int LongPolls)
{
    public const string FeedPerPrincipalKey = "Dashboard:MaxFeedClientsPerPrincipal";
    public const string FeedTotalKey = "Dashboard:MaxFeedClients";
    public const string PollsPerPrincipalKey = "Agents:MaxLongPollsPerPrincipal";
    public const string PollsTotalKey = "Agents:MaxLongPolls";

    public static readonly LimitSettings Default = new(8, 256, 2, 10_000);

    public static LimitSettings From(IConfiguration config, List<string> problems)
    {
        var dashboard = config.GetSection("Dashboard");
        var agents = config.GetSection("Agents");
        return new LimitSettings(
            SettingReader.Int(dashboard, "MaxFeedClientsPerPrincipal", Default.FeedClientsPerPrincipal, 1, 100_000, problems),
            SettingReader.Int(dashboard, "MaxFeedClients", Default.FeedClients, 1, 100_000, problems),
            SettingReader.Int(agents, "MaxLongPollsPerPrincipal", Default.LongPollsPerPrincipal, 1, 100_000, problems),
            SettingReader.Int(agents, "MaxLongPolls", Default.LongPolls, 1, 1_000_000, problems));
    }

    public PrincipalSlots FeedSlots() => new("live feed clients", FeedClientsPerPrincipal, FeedClients, FeedPerPrincipalKey, FeedTotalKey);

    public PrincipalSlots LongPollSlots() => new("assignment long polls", LongPollsPerPrincipal, LongPolls, PollsPerPrincipalKey, PollsTotalKey);
}

/// <summary>The agents' assignment long polls in progress (<see cref="LimitSettings.LongPollSlots"/>).</summary>
public sealed record LongPolls(PrincipalSlots Slots);
