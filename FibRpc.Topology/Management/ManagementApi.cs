using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FibRpc.Messaging;

namespace FibRpc.Topology.Management;

/// <summary>
/// The two calls of the RabbitMQ management HTTP API that setting policies needs: PUT a policy, GET the virtual
/// host's policies back. Every failure becomes a <see cref="ManagementApiException"/> that names its cause (no
/// plugin, a user without the policymaker tag, a missing virtual host) instead of a bare status code.
/// </summary>
public sealed class ManagementApi : IDisposable
{
    /// <summary>How long one call may take; the API answers these in milliseconds when it answers at all.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    /// <param name="endpoint">Where the API is and whom to log in as.</param>
    /// <param name="caFile">PEM file of the CA an https endpoint's certificate must chain to; null for the system store.</param>
    /// <param name="timeout">How long one call may take; 30 s when null.</param>
    public ManagementApi(ManagementEndpoint endpoint, string? caFile = null, TimeSpan? timeout = null)
        : this(endpoint, CreateHandler(caFile), timeout)
    {
    }

    internal ManagementApi(ManagementEndpoint endpoint, HttpMessageHandler handler, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        _http = new HttpClient(handler) { BaseAddress = endpoint.BaseUri, Timeout = timeout ?? DefaultTimeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{endpoint.UserName}:{endpoint.Password}")));
    }

    public ManagementEndpoint Endpoint { get; }

    /// <summary>
    /// Creates or replaces the policy in the virtual host (PUT /api/policies/{vhost}/{name}). Setting the same policy
    /// again changes nothing; setting it with other values changes it on the running queues.
    /// </summary>
    /// <exception cref="ManagementApiException">The API refused or could not be reached.</exception>
    public async Task PutPolicyAsync(string virtualHost, RpcPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var body = JsonSerializer.Serialize(PolicyBody.Of(policy), ManagementJsonContext.Default.PolicyBody);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{PoliciesPath(virtualHost)}/{Uri.EscapeDataString(policy.Name)}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"setting policy '{policy.Name}'", virtualHost, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every policy of the virtual host as the broker holds it (GET /api/policies/{vhost}).</summary>
    /// <exception cref="ManagementApiException">The API refused, could not be reached, or knows no such virtual host.</exception>
    public async Task<IReadOnlyList<StoredPolicy>> GetPoliciesAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PoliciesPath(virtualHost));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "reading the policies", virtualHost, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(json, ManagementJsonContext.Default.ListStoredPolicy)
                ?? throw new ManagementApiException(ManagementFailure.Other, "the management API answered reading the policies with null");
        }
        catch (JsonException e)
        {
            throw new ManagementApiException(ManagementFailure.Other, $"the management API answered reading the policies with something that is not a list of policies: {Excerpt(json)}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Relative to the API's root; "/" as a virtual host is sent as %2F.</summary>
    private static string PoliciesPath(string virtualHost) => $"api/policies/{Uri.EscapeDataString(virtualHost)}";

    private static SocketsHttpHandler CreateHandler(string? caFile)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (caFile is not null)
        {
            // The same private-CA check as the AMQP connections (chain to the file's CAs, host name in the certificate).
            handler.SslOptions.RemoteCertificateValidationCallback = BrokerCertificateValidator.FromFile(caFile).Validate;
        }

        return handler;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var where = Endpoint.BaseUri.AbsoluteUri;
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => new ManagementApiException(ManagementFailure.Unreachable,
                    $"no management API answers at {where} ({Cause(e)}): enable the management plugin on the broker (rabbitmq-plugins enable rabbitmq_management), or give the URL it listens on (management.tcp.port, default {ManagementEndpoint.DefaultPort})", e),
                HttpRequestError.SecureConnectionError => new ManagementApiException(ManagementFailure.Other, $"TLS with the management API at {where} failed: {Cause(e)}", e),
                _ => new ManagementApiException(ManagementFailure.Other, $"the management API at {where} failed: {Cause(e)}", e),
            };
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ManagementApiException(ManagementFailure.Other,
                $"the management API at {where} gave no answer within {_http.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, string virtualHost, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var reason = await ReasonAsync(response, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ManagementApiException(ManagementFailure.NotAuthorised,
                $"the management API at {Endpoint.BaseUri.AbsoluteUri} refused {what} to user '{Endpoint.UserName}' ({status} {reason}): the user needs the policymaker tag "
                + $"(or administrator; rabbitmqctl set_user_tags {Endpoint.UserName} policymaker), a permission on virtual host '{virtualHost}', and the right password"),
            HttpStatusCode.NotFound => new ManagementApiException(ManagementFailure.NotFound,
                $"virtual host '{virtualHost}' does not exist on the broker at {Endpoint.BaseUri.AbsoluteUri} (404): check the virtual host of the AMQP URI"),
            _ => new ManagementApiException(ManagementFailure.Other, $"the management API at {Endpoint.BaseUri.AbsoluteUri} refused {what}: {status} {reason}"),
        };
    }

    /// <summary>The API's own reason ({"error":..., "reason":...}), else the start of whatever it sent.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(text, ManagementJsonContext.Default.ManagementError) is { } error && (error.Error ?? error.Reason) is not null)
            {
                return string.Join(": ", new[] { error.Error, error.Reason }.Where(part => !string.IsNullOrEmpty(part)));
            }
        }
        catch (JsonException)
        {
            // Not the API's JSON (a proxy's page, say): show the text.
        }

        return text.Length == 0 ? response.ReasonPhrase ?? "" : Excerpt(text);
    }

    /// <summary>The innermost cause, which says "Connection refused" where the outer one only says the request failed.</summary>
    private static string Cause(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost is SocketException socket ? $"{socket.SocketErrorCode}: {socket.Message}" : innermost.Message;
    }

    private static string Excerpt(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "...";
}

/// <summary>A call to the management API failed; the message says why and what to do, and never holds a password.</summary>
public sealed class ManagementApiException(ManagementFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ManagementFailure Failure { get; } = failure;
}

/// <summary>Why a call to the management API failed, each with its own remedy.</summary>
public enum ManagementFailure
{
    /// <summary>Nothing listens at the URL: the management plugin is not enabled, or it listens elsewhere.</summary>
    Unreachable,

    /// <summary>401 or 403: a wrong password, or a user without the policymaker tag or without access to the virtual host.</summary>
    NotAuthorised,

    /// <summary>404: the virtual host does not exist.</summary>
    NotFound,

    /// <summary>The API answered, but not in a way this understands (400 for a policy it refuses, 5xx, a timeout, TLS).</summary>
    Other,

    /// <summary>The policy was set but the queue does not follow it (a policy of higher priority wins, or the queue is missing).</summary>
    NotInEffect,
}
