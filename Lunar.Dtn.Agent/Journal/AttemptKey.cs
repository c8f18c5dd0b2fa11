namespace Lunar.Dtn.Agent.Journal;

/// <summary>One attempt of one campaign as a single string, as kept in <see cref="JournalState.Finished"/>.</summary>
public static class AttemptKey
{
    public static string Of(string campaignId, int attempt) => $"{campaignId}/{attempt}";
}
