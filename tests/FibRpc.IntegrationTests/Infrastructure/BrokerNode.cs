using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FibRpc.Messaging;
using FibRpc.Topology;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>What a test wants of its own node besides the defaults (loopback, no plugins, guest on loopback).</summary>
public sealed record BrokerNodeOptions
{
    /// <summary>Lines of the node's rabbitmq.conf; "{dir}" in a line stands for the node's folder, where <see cref="Files"/> go.</summary>
    public IReadOnlyList<string> ConfigLines { get; init; } = [];

    /// <summary>Plugins to enable. None by default: the node boots faster.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Files written into the node's folder before it starts: TLS keys, certificates, definitions.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>How long a boot (rabbitmq-server up to a started node) may take.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>A queue as rabbitmqctl list_queues reports it.</summary>
public sealed record BrokerQueue(string Name, long Messages);

/// <summary>
/// An AMQP connection as rabbitmqctl list_connections reports it; <paramref name="Port"/> is the broker's listening
/// port it came in on, which tells the node that holds it when every node of a cluster listens on a port of its own.
/// </summary>
public sealed record BrokerConnection(string Pid, int Port, bool Tls, string ClientProvidedName);

/// <summary>A command (rabbitmq-server, rabbitmqctl) failed or ran out of time; the message has its output.</summary>
public sealed class BrokerNodeException(string message) : Exception(message);

/// <summary>
/// A RabbitMQ node of a test's own (Debian's rabbitmq-server 3.10), named name@localhost, on free loopback ports, with
/// its folder under the system temp folder: for tests that stop, kill, restart, alarm or cluster a broker. It never
/// touches a node it did not start. Every command is bounded in time and throws <see cref="BrokerNodeException"/>
/// with the command's output when it fails.
/// </summary>
public sealed partial class BrokerNode : IAsyncDisposable
{
    private const string Server = "/usr/sbin/rabbitmq-server";
    private const string Ctl = "/usr/sbin/rabbitmqctl";
    private const string FolderPrefix = "fibrpc-broker-";
    private const string MnesiaVariable = "RABBITMQ_MNESIA_BASE=";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lock PortLock = new();
    private static readonly HashSet<int> PortsHandedOut = [];

    private readonly BrokerNodeOptions _options;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private bool _disposed;

    private BrokerNode(string name, BrokerNodeOptions options)
    {
        NodeName = name + "@localhost";
        (AmqpPort, var distPort) = FreePorts();
        _directory = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{name}-{Guid.NewGuid().ToString("N")[..8]}");
        _options = options;
        _environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_PID_FILE"] = PidFile,
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            // A VM that dies writes its crash dump here, not into the rabbitmq user's home.
            ["ERL_CRASH_DUMP"] = Path.Combine(_directory, "log", "erl_crash.dump"),
            // rabbitmqctl's own distribution ports: a range of this node's, not the shared default 35672-35682.
            ["RABBITMQ_CTL_DIST_PORT_MIN"] = (distPort + 10000).ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_CTL_DIST_PORT_MAX"] = (distPort + 10010).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The Erlang node name, e.g. fibrpc-t1@localhost (for rabbitmqctl -n and join_cluster).</summary>
    public string NodeName { get; }

    public int AmqpPort { get; }

    /// <summary>amqp://guest:guest@127.0.0.1:port/ (guest may log in over loopback only, which this is).</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/");

    private string PidFile => Path.Combine(_directory, "node.pid");

    /// <summary>
    /// Starts name@localhost detached, with a fresh folder, and returns once it has booted. A node of that name that
    /// an earlier test run left behind is killed first.
    /// </summary>
    public static async Task<BrokerNode> StartAsync(string name, BrokerNodeOptions? options = null, CancellationToken ct = default)
    {
        // Before the node exists: a start refused here must not dispose (shut down) the other node of the name.
        KillLeftoversOf(name + "@localhost");
        var node = new BrokerNode(name, options ?? new BrokerNodeOptions());
        try
        {
            await node.PrepareFolderAsync(ct);
            await node.LaunchAsync(ct);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs rabbitmqctl -n node with these arguments and returns its standard output.</summary>
    public Task<string> RunCtlAsync(params string[] args) => RunCtlAsync(args, null);

    public async Task<string> RunCtlAsync(IEnumerable<string> args, TimeSpan? timeout, CancellationToken ct = default) =>
        (await RunAsync(Ctl, ["-n", NodeName, .. args], timeout ?? CommandTimeout, ct)).Stdout;

    /// <summary>Stops the RabbitMQ application; the Erlang VM stays up (rabbitmqctl stop_app).</summary>
    public Task StopAppAsync(CancellationToken ct = default) => RunCtlAsync(["stop_app"], null, ct);

    /// <summary>Starts the application again and waits until it accepts connections.</summary>
    public async Task StartAppAsync(CancellationToken ct = default)
    {
        await RunCtlAsync(["start_app"], _options.BootTimeout, ct);
        await RunCtlAsync(["await_startup", "--timeout", Seconds(_options.BootTimeout)], _options.BootTimeout + TimeSpan.FromSeconds(10), ct);
    }

    /// <summary>Graceful shutdown of the whole node (rabbitmqctl shutdown waits until the VM has exited).</summary>
    public Task StopAsync(CancellationToken ct = default) => TakeDownAsync(kill: false, ct);

    /// <summary>kill -9 of the node's beam process(es), as a crash.</summary>
    public Task KillAsync(CancellationToken ct = default) => TakeDownAsync(kill: true, ct);

    /// <summary>Starts the node again after <see cref="StopAsync"/> or <see cref="KillAsync"/>: same folders, so durable queues and persistent messages are back.</summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (BeamPids() is { Count: > 0 } pids)
        {
            throw new BrokerNodeException($"{this} is still running (pid {string.Join(", ", pids)}); stop or kill it first");
        }

        await LaunchAsync(ct);
    }

    /// <summary>
    /// The AMQP connections to this node, or in a cluster to any of its running nodes (rabbitmqctl lists them all),
    /// with their client-provided names ("" when none).
    /// </summary>
    public async Task<IReadOnlyList<BrokerConnection>> ListConnectionsAsync(CancellationToken ct = default)
    {
        // The table format prints pids as <node.creation.id.serial>, which close_connection takes (JSON does not).
        // RabbitMQ 3.10 has no "node" column; the listening port stands in for it.
        var output = await RunCtlAsync(["-q", "list_connections", "--no-table-headers", "pid", "port", "ssl", "client_properties"], null, ct);
        var connections = new List<BrokerConnection>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', 4);
            if (!line.StartsWith('<') || columns.Length < 4
                || !int.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            var name = ConnectionName().Match(columns[3]);
            connections.Add(new BrokerConnection(columns[0], port, columns[2] == "true", name.Success ? Unescape().Replace(name.Groups[1].Value, "$1") : ""));
        }

        return connections;
    }

    /// <summary>Closes the connections whose client-provided name passes the filter; returns how many.</summary>
    public async Task<int> CloseConnectionsAsync(Func<string, bool> clientNameFilter, string reason, CancellationToken ct = default)
    {
        var closing = (await ListConnectionsAsync(ct)).Where(connection => clientNameFilter(connection.ClientProvidedName)).ToList();
        foreach (var connection in closing)
        {
            await RunCtlAsync(["close_connection", connection.Pid, reason], null, ct);
        }

        return closing.Count;
    }

    /// <summary>
    /// Sets the memory high watermark as a fraction of RAM: 0 raises the memory alarm at once (publishers are
    /// blocked), 0.4 (the default) clears it.
    /// </summary>
    public Task SetMemoryHighWatermarkAsync(double fraction, CancellationToken ct = default) =>
        RunCtlAsync(["set_vm_memory_high_watermark", fraction.ToString(CultureInfo.InvariantCulture)], null, ct);

    /// <summary>Joins this node to the seed's cluster (stop_app, join_cluster, start_app) and waits until it runs.</summary>
    public async Task JoinClusterAsync(BrokerNode seed, CancellationToken ct = default)
    {
        await StopAppAsync(ct);
        await RunCtlAsync(["join_cluster", seed.NodeName], _options.BootTimeout, ct);
        await StartAppAsync(ct);
    }

    /// <summary>The queues of the default virtual host with their message counts (ready and unacked).</summary>
    public async Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(CancellationToken ct = default)
    {
        using var document = JsonDocument.Parse(await RunCtlAsync(["-q", "list_queues", "name", "messages", "--formatter", "json"], null, ct));
        return
        [
            .. document.RootElement.EnumerateArray().Select(queue => new BrokerQueue(
                queue.GetProperty("name").GetString() ?? "",
                queue.GetProperty("messages").ValueKind == JsonValueKind.Number ? queue.GetProperty("messages").GetInt64() : 0)),
        ];
    }

    /// <summary>Declares a request queue of this test run with its dead-letter exchange and queue, as fibrpc topology does.</summary>
    public async Task<string> DeclareTopologyAsync(string purpose, RpcQueueType type = RpcQueueType.Classic)
    {
        var queue = Broker.NewQueueName(purpose);
        await using var connection = await RabbitConnection.CreateFactory(Uri.ToString(), "fibrpc-tests-admin").CreateConnectionAsync();
        await RpcTopology.DeclareAsync(connection, queue, type);
        return queue;
    }

    /// <summary>The last lines of the node's log, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            return string.Join('\n', File.ReadLines(Path.Combine(_directory, "log", NodeName + ".log")).TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(no log)";
        }
    }

    /// <summary>Kills the node (its data goes with its folder, so a graceful stop would keep nothing) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var pids = BeamPids();
        pids.ForEach(SigKill);
        try
        {
            await WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10), CancellationToken.None);
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is BrokerNodeException or IOException or UnauthorizedAccessException)
        {
            // Only litter in the temp folder.
        }
    }

    public override string ToString() => $"{NodeName} (127.0.0.1:{AmqpPort})";

    /// <summary>
    /// A free AMQP port in 5700-6699 and its distribution port 20000 above it (as RabbitMQ's own default pairs them),
    /// never handed out twice by this process, so that nodes started one after another never collide.
    /// </summary>
    private static (int Amqp, int Dist) FreePorts()
    {
        lock (PortLock)
        {
            var start = Random.Shared.Next(0, 1000);
            foreach (var amqp in Enumerable.Range(0, 1000).Select(i => 5700 + ((start + i) % 1000)))
            {
                if (PortsHandedOut.Add(amqp) && IsFree(amqp) && IsFree(amqp + 20000))
                {
                    return (amqp, amqp + 20000);
                }
            }
        }

        throw new BrokerNodeException("no free loopback port pair in 5700-6699 / 25700-26699");
    }

    private async Task PrepareFolderAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct);
        foreach (var (file, content) in _options.Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(_directory, file), content, ct);
        }

        // The listener's address and port come from RABBITMQ_NODE_IP_ADDRESS and RABBITMQ_NODE_PORT.
        var config = _options.ConfigLines.Select(line => line.Replace("{dir}", _directory, StringComparison.Ordinal) + "\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "rabbitmq.conf"), string.Concat(config), ct);
        await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), $"[{string.Join(",", _options.Plugins)}].\n", ct);
        // rabbitmq-server and rabbitmqctl run as the rabbitmq user, which must also get through every folder above
        // (a boot that cannot shows in the foreground run of LaunchAsync).
        await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", _directory], TimeSpan.FromSeconds(10), ct);
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        File.Delete(PidFile); // stale after a kill -9
        try
        {
            await RunAsync(Server, ["-detached"], CommandTimeout, ct);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await WaitForBootAsync(ct);
                    return;
                }
                catch (BrokerNodeException e) when (attempt < 5 && e.Message.Contains("garbage_in_pid_file", StringComparison.Ordinal))
                {
                    // rabbitmqctl read the pid file while the booting node was still writing it (a race of RabbitMQ's
                    // own, seen on a loaded machine): the node is fine, ask again.
                    await Task.Delay(200, ct);
                }
            }
        }
        catch (BrokerNodeException e)
        {
            throw new BrokerNodeException($"{this} did not start: {e.Message}\n--- node log ---\n{LogTail()}");
        }
    }

    /// <summary>
    /// rabbitmqctl wait (the pid file appears, the VM answers, the node has booted: it ends with the node's
    /// await_startup), but failing at once when the node's VM exits during boot (a bad rabbitmq.conf, say), with
    /// what a run in the foreground says, instead of waiting out the timeout for a pid file that never comes.
    /// </summary>
    private async Task WaitForBootAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = RunCtlAsync(["wait", "--timeout", Seconds(_options.BootTimeout), PidFile], _options.BootTimeout + TimeSpan.FromSeconds(10), stop.Token);
        var launched = Stopwatch.StartNew();
        var seen = false;
        while (await Task.WhenAny(wait, Task.Delay(250, ct)) != wait)
        {
            ct.ThrowIfCancellationRequested();
            var running = BeamPids().Count > 0;
            seen |= running;
            if (!running && (seen || launched.Elapsed > TimeSpan.FromSeconds(10)))
            {
                await stop.CancelAsync();
                await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // it is the node's exit that matters
                throw new BrokerNodeException($"the node's VM exited during boot. A run in the foreground says:\n{await ForegroundRunAsync(ct)}");
            }
        }

        await wait;
    }

    /// <summary>Runs rabbitmq-server in the foreground, bounded, to catch what a detached node that died would have said.</summary>
    private async Task<string> ForegroundRunAsync(CancellationToken ct)
    {
        string output;
        try
        {
            output = (await RunAsync(Server, [], TimeSpan.FromSeconds(20), ct)).Output;
        }
        catch (BrokerNodeException e)
        {
            output = e.Message;
        }

        BeamPids().ForEach(SigKill);
        return string.Join('\n', output.Split('\n').TakeLast(25));
    }

    /// <summary>Runs a command to its end with this node's environment; returns its standard output, and standard output and error as they came.</summary>
    private async Task<(string Stdout, string Output)> RunAsync(string fileName, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        if (Path.IsPathRooted(fileName) && !File.Exists(fileName))
        {
            throw new BrokerNodeException($"{fileName} is missing: install RabbitMQ with scripts/bootstrap.sh broker");
        }

        // Only this node's settings: none of the test process's RABBITMQ_* variables.
        var inherited = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(name => name.StartsWith("RABBITMQ_", StringComparison.Ordinal));
        var command = $"{fileName} {string.Join(' ', args)}";
        var stopwatch = Stopwatch.StartNew();
        using var process = new ChildProcess(fileName, args, _environment, unset: [.. inherited]);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new BrokerNodeException($"'{command}' did not finish within {timeout.TotalSeconds} s.\n{AnsiEscape().Replace(process.Output, "")}");
        }

        if (exitCode != 0)
        {
            throw new BrokerNodeException($"'{command}' failed with exit code {exitCode} after {stopwatch.ElapsedMilliseconds} ms.\n{AnsiEscape().Replace(process.Output, "")}");
        }

        return (process.StandardOutput, process.Output);
    }

    private static string Seconds(TimeSpan span) => ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Shuts the node down or kills it, and waits until its VM is gone; the next launch removes the stale pid file.</summary>
    private async Task TakeDownAsync(bool kill, CancellationToken ct)
    {
        var pids = BeamPids();
        if (pids.Count == 0)
        {
            throw new BrokerNodeException($"{this} is not running");
        }

        if (kill)
        {
            pids.ForEach(SigKill);
        }
        else
        {
            await RunCtlAsync(["shutdown"], _options.BootTimeout, ct);
        }

        await WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10), ct);
    }

    private List<int> BeamPids() => [.. FindBeams(NodeName).Select(beam => beam.Pid)];

    /// <summary>
    /// The server beam processes of a node name, with their data folder, found so even when the pid file is gone. The
    /// exact RABBITMQ_NODENAME keeps every other node, rabbit@localhost included, out; the "-s rabbit boot" arguments
    /// keep rabbitmqctl's own beam (same environment) out.
    /// </summary>
    private static List<(int Pid, string MnesiaBase)> FindBeams(string nodeName)
    {
        var beams = new List<(int Pid, string MnesiaBase)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid)
                    || File.ReadAllText(Path.Combine(folder, "comm")).Trim() != "beam.smp"
                    || !File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("\0-s\0rabbit\0boot\0", StringComparison.Ordinal))
                {
                    continue;
                }

                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (environment.Contains("RABBITMQ_NODENAME=" + nodeName, StringComparer.Ordinal))
                {
                    beams.Add((pid, environment.FirstOrDefault(entry => entry.StartsWith(MnesiaVariable, StringComparison.Ordinal))?[MnesiaVariable.Length..] ?? ""));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return beams;
    }

    /// <summary>
    /// Kills a node of this name that an earlier test run left behind: only one in a folder of this helper's whose
    /// owner (the test process that started it, written to its "owner" file) is gone. Any other node of the name
    /// (of a test process that still runs, or not a test's at all) is left alone and the start fails.
    /// </summary>
    private static void KillLeftoversOf(string nodeName)
    {
        foreach (var (pid, mnesia) in FindBeams(nodeName))
        {
            var folder = Path.GetDirectoryName(mnesia.TrimEnd('/')) ?? "";
            var ownerFile = Path.Combine(folder, "owner");
            if (!folder.StartsWith(Path.Combine(Path.GetTempPath(), FolderPrefix), StringComparison.Ordinal) || !File.Exists(ownerFile)
                || !int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || IsAlive(owner))
            {
                throw new BrokerNodeException($"a node named {nodeName} already runs (pid {pid}, folder {folder}) and is no leftover of a finished test run; choose another name");
            }

            SigKill(pid);
            for (var i = 0; i < 100 && IsAlive(pid); i++)
            {
                Thread.Sleep(50);
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only litter in the temp folder.
            }
        }
    }

    /// <summary>True while the process exists and is not a zombie (exited, not yet reaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return !state.StartsWith('Z') && !state.StartsWith('X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void SigKill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL on Linux
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private async Task WaitUntilGoneAsync(List<int> pids, TimeSpan patience, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Any(IsAlive))
        {
            if (deadline.Elapsed > patience)
            {
                throw new BrokerNodeException($"{this}: pid {string.Join(", ", pids.Where(IsAlive))} still runs after {patience.TotalSeconds} s");
            }

            await Task.Delay(50, ct);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex("""\{"connection_name","((?:[^"\\]|\\.)*)"\}""")]
    private static partial Regex ConnectionName();

    [GeneratedRegex("""\\(.)""")]
    private static partial Regex Unescape();

    [GeneratedRegex("""\x1b\[[0-9;]*m""")]
    private static partial Regex AnsiEscape();
}

/// <summary>A test fixture holding a node of the tests' own, booted once for the tests that share it.</summary>
public abstract class NodeFixture : IAsyncLifetime
{
    private BrokerNode? _node;

    public BrokerNode Node => _node ?? throw new InvalidOperationException("the node is not started");

    public string Uri => Node.Uri.ToString();

    public async Task InitializeAsync() => _node = await StartAsync();

    public virtual async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    protected abstract Task<BrokerNode> StartAsync();
}
