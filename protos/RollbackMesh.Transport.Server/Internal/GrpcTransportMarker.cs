namespace RollbackMesh.Transport.Internal;

/// <summary>Registered by AddGrpcTransport so mapping can tell the services are missing and say so.</summary>
internal sealed class GrpcTransportMarker;
