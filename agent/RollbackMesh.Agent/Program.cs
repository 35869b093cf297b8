// rollbackmesh-agent [--config FILE]: runs until SIGTERM (exit 0); the exit codes are AgentProgram's.
return await RollbackMesh.Agent.Hosting.AgentProgram.RunAsync(args);
