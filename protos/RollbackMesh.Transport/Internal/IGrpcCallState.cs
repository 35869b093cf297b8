namespace RollbackMesh.Transport.Internal;

/// <summary>The parts of a client call its public call objects expose.</summary>
internal interface IGrpcCallState : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}
