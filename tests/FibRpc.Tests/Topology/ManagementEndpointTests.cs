using FibRpc.Topology.Management;

namespace FibRpc.Tests.Topology;

/// <summary>Where `fibrpc topology --policies management` finds the management API and whom it logs in as.</summary>
public sealed class ManagementEndpointTests
{
    [Theory]
    // Without a URL the API is on the AMQP host at the management port.
    [InlineData("amqp://fibrpc-topology:s3cret@rabbitmq.rabbitmq.svc.cluster.local:5672/", null, "http://rabbitmq.rabbitmq.svc.cluster.local:15672/", "fibrpc-topology", "s3cret")]
    [InlineData("amqp://u:p@127.0.0.1:5700/", null, "http://127.0.0.1:15672/", "u", "p")]
    [InlineData("amqp://u:p@broker/", null, "http://broker:15672/", "u", "p")]
    [InlineData("amqps://u:p@broker.example.com:5671/", null, "https://broker.example.com:15671/", "u", "p")]
    [InlineData("amqp://u:p@node1:5672/,amqp://u:p@node2:5672/", null, "http://node1:15672/", "u", "p")]
    [InlineData("amqp://u:p@[::1]:5672/", null, "http://[::1]:15672/", "u", "p")]
    [InlineData("amqp://u:p@broker:5672/billing", null, "http://broker:15672/", "u", "p")]
    // The AMQP URI's credentials percent-decoded; none at all means guest, as RabbitMQ.Client has it.
    [InlineData("amqp://fibrpc%2Dtopology:p%40ss%3Aword@broker:5672/", null, "http://broker:15672/", "fibrpc-topology", "p@ss:word")]
    [InlineData("amqp://broker:5672/", null, "http://broker:15672/", "guest", "guest")]
    // A given URL says where the API is, ending in a slash so that a path prefix is kept.
    [InlineData("amqp://fibrpc-topology:s3cret@broker:5672/", "http://mgmt.internal:8080", "http://mgmt.internal:8080/", "fibrpc-topology", "s3cret")]
    [InlineData("amqp://fibrpc-topology:s3cret@broker:5672/", "https://broker.example.com/rabbitmq", "https://broker.example.com/rabbitmq/", "fibrpc-topology", "s3cret")]
    [InlineData("amqp://fibrpc-topology:s3cret@broker:5672/", "http://127.0.0.1:15999/?x=1#y", "http://127.0.0.1:15999/", "fibrpc-topology", "s3cret")]
    // Credentials in the given URL replace the AMQP URI's and stay out of the base URI.
    [InlineData("amqp://fibrpc-topology:s3cret@broker:5672/", "http://admin:adm%21n@mgmt:15672/", "http://mgmt:15672/", "admin", "adm!n")]
    public void The_API_is_found_and_logged_in_to(string amqp, string? url, string expected, string user, string password)
    {
        var endpoint = ManagementEndpoint.Resolve(amqp, url);

        Assert.Equal((expected, user, password), (endpoint.BaseUri.AbsoluteUri, endpoint.UserName, endpoint.Password));
    }

    [Theory]
    [InlineData("amqp://fibrpc-topology:Pw-never-print-me@broker:5672/", null)]
    [InlineData("amqp://u:p@broker:5672/", "http://admin:Pw-never-print-me@mgmt:15672/")]
    public void Showing_the_endpoint_never_shows_the_password(string amqp, string? url)
    {
        var endpoint = ManagementEndpoint.Resolve(amqp, url);

        Assert.Equal("Pw-never-print-me", endpoint.Password);
        Assert.DoesNotContain("never-print-me", endpoint.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("never-print-me", endpoint.BaseUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains(endpoint.UserName, endpoint.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://admin:Pw-never-print-me@mgmt/")]
    [InlineData("admin:Pw-never-print-me@mgmt:15672")]
    [InlineData("/api/")]
    public void A_URL_that_is_not_http_is_refused_without_quoting_its_password(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => ManagementEndpoint.Resolve("amqp://u:p@broker:5672/", url));

        Assert.Contains("not an http:// or https:// URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-print-me", error.Message, StringComparison.Ordinal);
    }
}
