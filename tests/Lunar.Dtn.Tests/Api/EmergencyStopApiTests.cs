using Lunar.Dtn.Tests.Support;

namespace Lunar.Dtn.Tests.Api;

public sealed class EmergencyStopApiTests(MoonNodeFixture fixture) : IClassFixture<MoonNodeFixture>
{
    private readonly InProcessNode _node = fixture.Node;

    private async Task<string> CreateAsync(string? then = null)
    {
        var (status, body) = await _node.PostAsync("/api/v1/campaigns", new { name = "stoppable", artifactId = MoonNodeFixture.Sha, approvalRequired = false });
        Assert.Equal(201, status);
        var id = body.GetProperty("id").GetString()!;
        if (then is not null) Assert.Equal(200, (await _node.PostAsync($"/api/v1/campaigns/{id}/{then}", null)).Status);
        return id;
    }

    private async Task<string> StateAsync(string id) => (await _node.GetJsonAsync($"/api/v1/campaigns/{id}")).GetProperty("state").GetString()!;

    [Fact]
    public async Task EmergencyStop_OnMoon_PausesEveryActiveCampaignAndLeavesTheOthers()
    {
        var running = await CreateAsync("start");
        var alsoRunning = await CreateAsync("start");
        var paused = await CreateAsync("pause");
        var cancelled = await CreateAsync("cancel");
        var neverStarted = await CreateAsync();
        var neverStartedState = await StateAsync(neverStarted);
        Assert.Equal("running", await StateAsync(running));

        var (status, body) = await _node.PostAsync("/api/v1/emergency-stop", null);

        Assert.Equal(200, status);
        var stopped = body.GetProperty("stopped").EnumerateArray().Select(s => s.GetString()).ToArray();
        Assert.Contains(running, stopped);
        Assert.Contains(alsoRunning, stopped);
        Assert.DoesNotContain(paused, stopped);
        Assert.DoesNotContain(cancelled, stopped);
        Assert.DoesNotContain(neverStarted, stopped);
        Assert.Equal("paused", await StateAsync(running));
        Assert.Equal("paused", await StateAsync(alsoRunning));
        Assert.Equal("cancelled", await StateAsync(cancelled));
        Assert.Equal(neverStartedState, await StateAsync(neverStarted));
        var audit = await _node.GetJsonAsync($"/api/v1/audit?campaign={running}&action=campaign-pause");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("details").GetString()!.Contains("emergency stop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmergencyStop_Twice_SecondStopsNothingAndChangesNothing()
    {
        await CreateAsync("start");
        Assert.Equal(200, (await _node.PostAsync("/api/v1/emergency-stop", null)).Status);
        var before = _node.Replica.Fingerprint();

        var (status, body) = await _node.PostAsync("/api/v1/emergency-stop", null);

        Assert.Equal(200, status);
        Assert.Empty(body.GetProperty("stopped").EnumerateArray());
        Assert.Equal(before, _node.Replica.Fingerprint());
    }
}
