namespace RollbackMesh.Demo;

/// <summary>Something the demo needs on this machine is missing; the message says what and how to get it.</summary>
internal sealed class DemoPrerequisiteException(string message) : Exception(message);
