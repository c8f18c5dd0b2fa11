using Lunar.Dtn.Bpv7Forwarder;
using Microsoft.Extensions.Logging;

ForwarderOptions options;
try { options = ForwarderOptions.Parse(args); }
catch (FormatException ex)
{
    Console.Error.WriteLine($"{ex.Message}\nusage: Lunar.Dtn.Bpv7Forwarder --listen ADDRESS:PORT [--eid ipn:9.0] [--route ipn:N=HOST:PORT ...] [--corrupt-payload]; stdin: down, up, route NODE=HOST:PORT, stats");
    return 2;
}
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
Console.Out.Flush();
await using var forwarder = new Forwarder(options, loggers.CreateLogger("forwarder"), Console.Out);
forwarder.Start();
while (await Console.In.ReadLineAsync() is { } line) await forwarder.CommandAsync(line);
return 0;
