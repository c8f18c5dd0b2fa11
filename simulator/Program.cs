return Lunar.Dtn.Simulator.SimulatorCli.Create().Parse(args).Invoke();
