using Lunar.Dtn.Hosting;

return await NodeCli.RunAsync(args, NodeRole.Earth);
