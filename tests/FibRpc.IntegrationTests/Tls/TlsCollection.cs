namespace FibRpc.IntegrationTests.Tls;

/// <summary>Tests against the TLS node of their own, which they share.</summary>
[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsBroker>
{
    public const string Name = "tls";
}
