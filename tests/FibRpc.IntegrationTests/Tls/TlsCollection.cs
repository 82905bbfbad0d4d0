namespace FibRpc.IntegrationTests.Tls;

/// <summary>Tests against the TLS node of their own: one at a time, and never beside another node's tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TlsCollection : ICollectionFixture<TlsBroker>
{
    public const string Name = "tls";
}
