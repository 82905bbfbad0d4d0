using FibRpc.Messaging;
using RabbitMQ.Client;

namespace FibRpc.Tests.Messaging;

/// <summary>The broker setting as a list of a cluster's nodes: parsed, held to one set of credentials, and used by the factory.</summary>
public sealed class BrokerEndpointsTests
{
    [Theory]
    [InlineData("amqp://u:p@n1:5681/, amqp://u:p@n2:5682/,amqp://u:p@n3:5683/", new[] { "n1:5681", "n2:5682", "n3:5683" })]
    [InlineData("amqp://u:p@n1:5681/", new[] { "n1:5681" })]
    public void The_factory_resolves_every_node_of_the_list(string setting, string[] nodes)
    {
        var factory = RabbitConnection.CreateFactory(setting, "t");
        var endpoints = factory.EndpointResolverFactory([factory.Endpoint]).All().Select(e => $"{e.HostName}:{e.Port}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(nodes, endpoints);
        Assert.Equal("u", factory.UserName);
    }

    [Fact]
    public void TlsNodes_AreEachVerifiedUnderTheirOwnName()
    {
        var factory = RabbitConnection.CreateFactory("amqps://u:p@a.example:5671/,amqps://u:p@b.example:5671/", "t");
        var ssl = factory.EndpointResolverFactory([factory.Endpoint]).All().ToDictionary(e => e.HostName, e => e.Ssl);

        Assert.All(ssl, pair => Assert.True(pair.Value.Enabled && pair.Value.ServerName == pair.Key && pair.Value.AcceptablePolicyErrors == System.Net.Security.SslPolicyErrors.None));
    }

    [Theory]
    [InlineData("amqp://u:p@n1/,amqp://u:other@n2/")]
    [InlineData("amqp://u:p@n1/,amqps://u:p@n2/")]
    [InlineData("amqp://u:p@n1/,amqp://u:p@n2/other")]
    public void NodesThatDifferInMoreThanHostAndPort_AreRefused_WithoutThePassword(string setting)
    {
        var error = Assert.Throws<BrokerUriException>(() => BrokerEndpoints.Parse(setting));

        Assert.Contains("share scheme, user, password and virtual host", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":p@", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadEntry_IsNamedRedacted()
    {
        var error = Assert.Throws<BrokerUriException>(() => BrokerEndpoints.Parse("amqp://u:secret@n1/,http://u:secret@n2/"));

        Assert.Contains("http://u:***@n2/", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
