namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// A private CA and a server certificate it signed for localhost / 127.0.0.1, plus an unrelated CA, made with openssl
/// for one test run (EC P-256 keys: fast to make, and Erlang's TLS takes them). Nothing here is trusted by the system.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The CA that signed the server certificate (PEM).</summary>
    public string CaFile => Path.Combine(Folder, "ca.pem");

    /// <summary>A CA that signed nothing the broker presents (PEM).</summary>
    public string OtherCaFile => Path.Combine(Folder, "other-ca.pem");

    public string ServerCertificateFile => Path.Combine(Folder, "server.pem");

    public string ServerKeyFile => Path.Combine(Folder, "server.key");

    public static async Task<TestCertificates> CreateAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificates = new TestCertificates(folder);
        const string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        await File.WriteAllTextAsync(Path.Combine(folder, "server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
        foreach (var command in new[]
        {
            $"req -x509 {ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=FibRpc-Test-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
            $"req -x509 {ec} -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=FibRpc-Other-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
            $"req {ec} -keyout server.key -out server.csr -subj /CN=localhost",
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext",
        })
        {
            await OpenSslAsync(folder, command);
        }

        return certificates;
    }

    private static async Task OpenSslAsync(string folder, string arguments)
    {
        using var openssl = new ChildProcess("openssl", [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)], workingDirectory: folder);
        var exit = await openssl.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"openssl {arguments} failed ({exit}): {openssl.Output}");
    }
}
