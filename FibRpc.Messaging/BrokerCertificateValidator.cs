using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace FibRpc.Messaging;

/// <summary>
/// Verifies a broker's TLS certificate against a private CA instead of the system store, which is all
/// RabbitMQ.Client's own check trusts: the chain must end in one of the configured authorities, and the certificate
/// must name the host the URI names.
/// </summary>
public sealed class BrokerCertificateValidator
{
    private readonly X509Certificate2Collection _authorities;
    private readonly string _caFile;

    private BrokerCertificateValidator(X509Certificate2Collection authorities, string caFile)
    {
        _authorities = authorities;
        _caFile = caFile;
    }

    /// <summary>Reads the CA certificates (PEM, one or more; or a single DER certificate) from a file.</summary>
    /// <exception cref="BrokerCaFileException">The file is missing or holds no certificate.</exception>
    public static BrokerCertificateValidator FromFile(string caFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caFile);
        var authorities = new X509Certificate2Collection();
        try
        {
            var text = File.ReadAllText(caFile);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                authorities.ImportFromPem(text);
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new BrokerCaFileException($"the CA file '{caFile}' cannot be read as certificates: {e.Message}", e);
        }

        return authorities.Count == 0
            ? throw new BrokerCaFileException($"the CA file '{caFile}' holds no certificate")
            : new BrokerCertificateValidator(authorities, caFile);
    }

    /// <summary>
    /// The callback for <see cref="System.Net.Security.SslStream"/>. It throws instead of returning false so that the
    /// reason (untrusted issuer, wrong name) reaches the person reading the connection error, not just "rejected".
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            throw new AuthenticationException("the broker presented no TLS certificate");
        }

        using var copy = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var leaf = copy ?? (X509Certificate2)certificate;

        // The name check is the platform's (subjectAltName DNS and IP entries); only the chain's trust anchor is ours.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            throw new AuthenticationException(
                $"the broker's certificate ({leaf.Subject}) does not name the host in the URI; connect with a host name the certificate lists in its subjectAltName");
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        // A private CA rarely publishes revocation lists; expiry and signatures are still checked.
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the broker sent with its certificate.
            foreach (var element in chain.ChainElements)
            {
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (own.Build(leaf))
        {
            return true;
        }

        var why = string.Join("; ", own.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct());
        throw new AuthenticationException(
            $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted by the CA file '{_caFile}': {why}");
    }
}
