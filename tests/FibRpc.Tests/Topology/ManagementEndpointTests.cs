using FibRpc.Topology.Management;

namespace FibRpc.Tests.Topology;

/// <summary>Where `fibrpc topology --policies management` finds the management API and whom it logs in as.</summary>
public sealed class ManagementEndpointTests
{
    [Theory]
    [InlineData("amqp://fibrpc-topology:s3cret@rabbitmq.rabbitmq.svc.cluster.local:5672/", "http://rabbitmq.rabbitmq.svc.cluster.local:15672/")]
    [InlineData("amqp://u:p@127.0.0.1:5700/", "http://127.0.0.1:15672/")]
    [InlineData("amqp://u:p@broker/", "http://broker:15672/")]
    [InlineData("amqps://u:p@broker.example.com:5671/", "https://broker.example.com:15671/")]
    [InlineData("amqp://u:p@node1:5672/,amqp://u:p@node2:5672/", "http://node1:15672/")]
    [InlineData("amqp://u:p@[::1]:5672/", "http://[::1]:15672/")]
    [InlineData("amqp://u:p@broker:5672/billing", "http://broker:15672/")]
    public void Without_a_URL_the_API_is_on_the_AMQP_host_at_the_management_port(string amqp, string expected)
    {
        Assert.Equal(expected, ManagementEndpoint.Resolve(amqp).BaseUri.AbsoluteUri);
    }

    [Fact]
    public void The_AMQP_URIs_credentials_are_used_percent_decoded()
    {
        var endpoint = ManagementEndpoint.Resolve("amqp://fibrpc%2Dtopology:p%40ss%3Aword@broker:5672/");

        Assert.Equal("fibrpc-topology", endpoint.UserName);
        Assert.Equal("p@ss:word", endpoint.Password);
    }

    [Fact]
    public void A_URI_without_credentials_logs_in_as_guest_as_RabbitMQ_Client_does()
    {
        var endpoint = ManagementEndpoint.Resolve("amqp://broker:5672/");

        Assert.Equal(("guest", "guest"), (endpoint.UserName, endpoint.Password));
    }

    [Theory]
    [InlineData("http://mgmt.internal:8080", "http://mgmt.internal:8080/")]
    [InlineData("https://broker.example.com/rabbitmq", "https://broker.example.com/rabbitmq/")]
    [InlineData("http://127.0.0.1:15999/?x=1#y", "http://127.0.0.1:15999/")]
    public void A_given_URL_says_where_the_API_is_ending_in_a_slash_so_a_path_prefix_is_kept(string url, string expected)
    {
        var endpoint = ManagementEndpoint.Resolve("amqp://fibrpc-topology:s3cret@broker:5672/", url);

        Assert.Equal(expected, endpoint.BaseUri.AbsoluteUri);
        Assert.Equal(("fibrpc-topology", "s3cret"), (endpoint.UserName, endpoint.Password));
    }

    [Fact]
    public void Credentials_in_the_given_URL_replace_the_AMQP_URIs_and_stay_out_of_the_base_URI()
    {
        var endpoint = ManagementEndpoint.Resolve("amqp://fibrpc-topology:s3cret@broker:5672/", "http://admin:adm%21n@mgmt:15672/");

        Assert.Equal(("admin", "adm!n"), (endpoint.UserName, endpoint.Password));
        Assert.Equal("http://mgmt:15672/", endpoint.BaseUri.AbsoluteUri);
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
