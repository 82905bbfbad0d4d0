using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>What a test wants of its own node besides the defaults (loopback, no plugins, guest on loopback).</summary>
public sealed record BrokerNodeOptions
{
    /// <summary>
    /// Lines appended to the node's rabbitmq.conf, e.g. TLS listener settings. "{dir}" in a line stands for the
    /// node's folder (where <see cref="Files"/> are written).
    /// </summary>
    public IReadOnlyList<string> ConfigLines { get; init; } = [];

    /// <summary>Plugins to enable, e.g. rabbitmq_auth_mechanism_ssl. None by default: the node boots faster.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Further environment variables of the node and of rabbitmqctl calls (RABBITMQ_..., ERL_...).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Files written into the node's folder (owned by rabbitmq) before it starts: TLS keys, certificates.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>How long a boot (rabbitmq-server up to await_startup) may take.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long any other rabbitmqctl command may take.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>A queue as rabbitmqctl list_queues reports it.</summary>
public sealed record BrokerQueue(string Name, long Messages);

/// <summary>
/// An AMQP connection as rabbitmqctl list_connections reports it; <paramref name="Port"/> is the broker's listening
/// port it came in on, which tells the node that holds it when every node of a cluster listens on a port of its own.
/// </summary>
public sealed record BrokerConnection(string Pid, int Port, string ClientProvidedName);

/// <summary>A command (rabbitmq-server, rabbitmqctl) failed or ran out of time; the message has its output.</summary>
public sealed class BrokerNodeException(string message) : Exception(message);

/// <summary>
/// A RabbitMQ node of a test's own (Debian's rabbitmq-server 3.10), on loopback, with its folders under the
/// system temp folder: for tests that stop, kill, restart, alarm or cluster a broker. It never touches a node it
/// did not start (rabbit@localhost, the development broker, is refused by name and port). Every command is bounded
/// in time and throws <see cref="BrokerNodeException"/> with the command's output when it fails.
/// </summary>
public sealed partial class BrokerNode : IAsyncDisposable
{
    private const string Server = "/usr/sbin/rabbitmq-server";
    private const string Ctl = "/usr/sbin/rabbitmqctl";
    private const string FolderPrefix = "fibrpc-broker-";

    private static readonly Lock PortLock = new();
    private static readonly HashSet<int> PortsHandedOut = [];

    private readonly BrokerNodeOptions _options;
    private readonly Dictionary<string, string> _environment;
    private bool _disposed;

    private BrokerNode(string nodeName, int amqpPort, int distPort, string directory, BrokerNodeOptions options)
    {
        NodeName = nodeName;
        AmqpPort = amqpPort;
        DistPort = distPort;
        Directory = directory;
        _options = options;
        _environment = NodeEnvironment();
    }

    /// <summary>The Erlang node name, e.g. fibrpc-t1@localhost (for rabbitmqctl -n and join_cluster).</summary>
    public string NodeName { get; }

    public int AmqpPort { get; }

    public int DistPort { get; }

    /// <summary>amqp://guest:guest@127.0.0.1:port/ (guest may log in over loopback only, which this is).</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The node's own folder: data (mnesia), logs, pid file, rabbitmq.conf, enabled_plugins, files.</summary>
    public string Directory { get; }

    public string PidFile => Path.Combine(Directory, "node.pid");

    public string LogFile => Path.Combine(Directory, "log", NodeName + ".log");

    /// <summary>
    /// Two free loopback ports for a node: AMQP in 5700-6699 and distribution 20000 above it (as RabbitMQ's own
    /// default pairs them), never handed out twice by this process, so that tests in a row never collide.
    /// </summary>
    public static (int AmqpPort, int DistPort) FindFreePorts()
    {
        lock (PortLock)
        {
            var start = Random.Shared.Next(0, 1000);
            for (var i = 0; i < 1000; i++)
            {
                var amqp = 5700 + ((start + i) % 1000);
                var dist = amqp + 20000;
                if (PortsHandedOut.Contains(amqp) || !IsFree(amqp) || !IsFree(dist))
                {
                    continue;
                }

                PortsHandedOut.Add(amqp);
                return (amqp, dist);
            }
        }

        throw new BrokerNodeException("no free loopback port pair in 5700-6699 / 25700-26699");
    }

    /// <summary>Starts a node with free ports (see <see cref="FindFreePorts"/>).</summary>
    public static Task<BrokerNode> StartAsync(string name, BrokerNodeOptions? options = null, CancellationToken ct = default)
    {
        var (amqp, dist) = FindFreePorts();
        return StartAsync(name, amqp, dist, options, ct);
    }

    /// <summary>
    /// Starts a node named name@localhost detached, with fresh folders, and returns once it accepts AMQP
    /// connections. A node of the same name left running by an earlier test run (its folder is one of this
    /// helper's) is killed first.
    /// </summary>
    public static async Task<BrokerNode> StartAsync(string name, int amqpPort, int distPort, BrokerNodeOptions? options = null, CancellationToken ct = default)
    {
        options ??= new BrokerNodeOptions();
        var nodeName = name.Contains('@', StringComparison.Ordinal) ? name : name + "@localhost";
        if (!nodeName.EndsWith("@localhost", StringComparison.Ordinal) || nodeName.StartsWith("rabbit@", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{nodeName}': a test node is <name>@localhost, and rabbit@localhost is the development broker", nameof(name));
        }

        if (amqpPort is 5672 or 25672 || distPort is 5672 or 25672 || amqpPort == distPort)
        {
            throw new ArgumentException($"ports {amqpPort}/{distPort}: 5672 and 25672 belong to the development broker, and the two must differ");
        }

        KillLeftoversOf(nodeName);
        foreach (var port in new[] { amqpPort, distPort })
        {
            if (!IsFree(port))
            {
                throw new BrokerNodeException($"port 127.0.0.1:{port} is in use; pick others (BrokerNode.FindFreePorts)");
            }
        }

        var shortName = nodeName[..nodeName.IndexOf('@', StringComparison.Ordinal)];
        var directory = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{shortName}-{Guid.NewGuid().ToString("N")[..8]}");
        var node = new BrokerNode(nodeName, amqpPort, distPort, directory, options);
        try
        {
            await node.PrepareFoldersAsync(ct).ConfigureAwait(false);
            await node.LaunchAsync(ct).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs rabbitmqctl -n node with these arguments and returns its standard output.</summary>
    public Task<string> RunCtlAsync(params string[] args) => RunCtlAsync(args, null, CancellationToken.None);

    public async Task<string> RunCtlAsync(IEnumerable<string> args, TimeSpan? timeout, CancellationToken ct = default)
    {
        var result = await RunAsync(Ctl, ["-n", NodeName, .. args], timeout ?? _options.CommandTimeout, ct).ConfigureAwait(false);
        return result.Stdout;
    }

    /// <summary>Stops the RabbitMQ application; the Erlang VM stays up (rabbitmqctl stop_app).</summary>
    public Task StopAppAsync(CancellationToken ct = default) => RunCtlAsync(["stop_app"], null, ct);

    /// <summary>Starts the application again and waits until it accepts connections.</summary>
    public async Task StartAppAsync(CancellationToken ct = default)
    {
        await RunCtlAsync(["start_app"], _options.BootTimeout, ct).ConfigureAwait(false);
        await AwaitStartupAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Graceful shutdown of the whole node (rabbitmqctl shutdown waits until the VM has exited).</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        var pids = BeamPids();
        if (pids.Count == 0)
        {
            throw new BrokerNodeException($"{NodeName} is not running");
        }

        await RunCtlAsync(["shutdown"], _options.BootTimeout, ct).ConfigureAwait(false);
        await WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        File.Delete(PidFile);
    }

    /// <summary>kill -9 of the node's beam process(es), as a crash; the stale pid file is removed.</summary>
    public async Task KillAsync(CancellationToken ct = default)
    {
        var pids = BeamPids();
        if (pids.Count == 0)
        {
            throw new BrokerNodeException($"{NodeName} is not running");
        }

        foreach (var pid in pids)
        {
            SigKill(pid);
        }

        await WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        File.Delete(PidFile);
    }

    /// <summary>Starts the node again after <see cref="StopAsync"/> or <see cref="KillAsync"/>: same folders, so durable queues and persistent messages are back.</summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (BeamPids() is { Count: > 0 } pids)
        {
            throw new BrokerNodeException($"{NodeName} is still running (pid {string.Join(", ", pids)}); stop or kill it first");
        }

        await LaunchAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Waits until the node's application runs and its listeners accept connections.</summary>
    private Task AwaitStartupAsync(CancellationToken ct = default) =>
        RunCtlAsync(["await_startup", "--timeout", Seconds(_options.BootTimeout)], _options.BootTimeout + TimeSpan.FromSeconds(10), ct);

    /// <summary>
    /// The AMQP connections to this node, or in a cluster to any of its running nodes (rabbitmqctl lists them all),
    /// with their client-provided names ("" when none).
    /// </summary>
    public async Task<IReadOnlyList<BrokerConnection>> ListConnectionsAsync(CancellationToken ct = default)
    {
        // The table format prints pids as <node.creation.id.serial>, which close_connection takes (JSON does not).
        // RabbitMQ 3.10 has no "node" column; the listening port stands in for it.
        var output = await RunCtlAsync(["-q", "list_connections", "--no-table-headers", "pid", "port", "client_properties"], null, ct).ConfigureAwait(false);
        var connections = new List<BrokerConnection>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', 3);
            if (!line.StartsWith('<') || columns.Length < 3
                || !int.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            var name = ConnectionName().Match(columns[2]);
            var clientName = name.Success ? Unescape().Replace(name.Groups[1].Value, "$1") : "";
            connections.Add(new BrokerConnection(columns[0], port, clientName));
        }

        return connections;
    }

    /// <summary>Closes the connections whose client-provided name passes the filter; returns how many.</summary>
    public async Task<int> CloseConnectionsAsync(Func<string, bool> clientNameFilter, string reason, CancellationToken ct = default)
    {
        var closed = 0;
        foreach (var connection in await ListConnectionsAsync(ct).ConfigureAwait(false))
        {
            if (clientNameFilter(connection.ClientProvidedName))
            {
                await RunCtlAsync(["close_connection", connection.Pid, reason], null, ct).ConfigureAwait(false);
                closed++;
            }
        }

        return closed;
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
        await StopAppAsync(ct).ConfigureAwait(false);
        await RunCtlAsync(["join_cluster", seed.NodeName], _options.BootTimeout, ct).ConfigureAwait(false);
        await StartAppAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The queues of the default virtual host with their message counts (ready and unacked).</summary>
    public async Task<IReadOnlyList<BrokerQueue>> ListQueuesAsync(CancellationToken ct = default)
    {
        var json = await RunCtlAsync(["-q", "list_queues", "name", "messages", "--formatter", "json"], null, ct).ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateArray().Select(queue => new BrokerQueue(
                queue.GetProperty("name").GetString() ?? "",
                queue.GetProperty("messages").ValueKind == JsonValueKind.Number ? queue.GetProperty("messages").GetInt64() : 0)),
        ];
    }

    /// <summary>The last lines of the node's log, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(no log)";
        }
    }

    /// <summary>Shuts the node down (kill -9 when a graceful shutdown fails or takes too long) and deletes its folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (BeamPids() is { Count: > 0 } pids)
        {
            try
            {
                await RunAsync(Ctl, ["-n", NodeName, "shutdown"], TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
                await WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (BrokerNodeException)
            {
                // Not graceful then.
            }

            var survivors = BeamPids();
            foreach (var pid in survivors)
            {
                SigKill(pid);
            }

            try
            {
                await WaitUntilGoneAsync(survivors, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (BrokerNodeException)
            {
                // Nothing more to do; the folder goes anyway.
            }
        }

        for (var attempt = 0; attempt < 5 && System.IO.Directory.Exists(Directory); attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    public override string ToString() => $"{NodeName} (127.0.0.1:{AmqpPort})";

    private async Task PrepareFoldersAsync(CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "mnesia"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(Directory, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        foreach (var (file, content) in _options.Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(Directory, file), content, ct).ConfigureAwait(false);
        }

        // The listener's address and port come from RABBITMQ_NODE_IP_ADDRESS and RABBITMQ_NODE_PORT.
        var config = new StringBuilder();
        foreach (var line in _options.ConfigLines)
        {
            config.Append(line.Replace("{dir}", Directory, StringComparison.Ordinal)).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(Directory, "rabbitmq.conf"), config.ToString(), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(Directory, "enabled_plugins"), $"[{string.Join(",", _options.Plugins)}].\n", ct).ConfigureAwait(false);
        // rabbitmq-server and rabbitmqctl run as the rabbitmq user, which must also get through every folder above.
        await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", Directory], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        try
        {
            await RunAsync("su", ["rabbitmq", "-s", "/bin/sh", "-c", "test -w \"$0\"", Path.Combine(Directory, "mnesia")], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }
        catch (BrokerNodeException)
        {
            throw new BrokerNodeException($"the rabbitmq user cannot write {Directory}: every folder above it must be searchable by others (TMPDIR is '{Path.GetTempPath()}')");
        }
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        File.Delete(PidFile); // stale after a kill -9
        try
        {
            await RunAsync(Server, ["-detached"], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            // rabbitmqctl wait ends with the node's await_startup: a second rabbitmqctl (an Erlang VM of its own) for
            // await_startup would only repeat it.
            await WaitForPidFileAsync(ct).ConfigureAwait(false);
        }
        catch (BrokerNodeException e)
        {
            throw new BrokerNodeException($"{this} did not start: {e.Message}\n--- node log ---\n{LogTail()}");
        }
    }

    /// <summary>
    /// rabbitmqctl wait (the pid file appears, the VM answers and the node has started), but failing at once when the node's VM exits
    /// during boot (a bad rabbitmq.conf, say) instead of waiting out the timeout for a pid file that never comes.
    /// </summary>
    private async Task WaitForPidFileAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WaitForPidFileOnceAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (BrokerNodeException e) when (attempt < 5 && e.Message.Contains("garbage_in_pid_file", StringComparison.Ordinal))
            {
                // rabbitmqctl read the pid file while the booting node was still writing it (a race of RabbitMQ's
                // own, seen on a loaded machine): the node is fine, ask again.
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForPidFileOnceAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = RunCtlAsync(["wait", "--timeout", Seconds(_options.BootTimeout), PidFile], _options.BootTimeout + TimeSpan.FromSeconds(10), stop.Token);
        var launched = Stopwatch.StartNew();
        var seen = false;
        while (!wait.IsCompleted)
        {
            await Task.WhenAny(wait, Task.Delay(250, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var running = BeamPids().Count > 0;
            seen |= running;
            if (!wait.IsCompleted && !running && (seen || launched.Elapsed > TimeSpan.FromSeconds(10)))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await wait.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or BrokerNodeException)
                {
                    // It is the node's exit that matters.
                }

                throw new BrokerNodeException($"the node's VM exited during boot. A run in the foreground says:\n{await ForegroundRunAsync(ct).ConfigureAwait(false)}");
            }
        }

        await wait.ConfigureAwait(false);
    }

    /// <summary>Runs rabbitmq-server in the foreground, bounded, to catch what a detached node that died would have said.</summary>
    private async Task<string> ForegroundRunAsync(CancellationToken ct)
    {
        string output;
        try
        {
            output = (await RunAsync(Server, [], TimeSpan.FromSeconds(20), ct).ConfigureAwait(false)).Output;
        }
        catch (BrokerNodeException e)
        {
            output = e.Message;
        }

        foreach (var pid in BeamPids())
        {
            SigKill(pid);
        }

        File.Delete(PidFile);
        return string.Join('\n', output.Split('\n').TakeLast(25));
    }

    private Dictionary<string, string> NodeEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Directory, "log"),
            ["RABBITMQ_PID_FILE"] = PidFile,
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Directory, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Directory, "enabled_plugins"),
            // A VM that dies writes its crash dump here, not into the rabbitmq user's home.
            ["ERL_CRASH_DUMP"] = Path.Combine(Directory, "log", "erl_crash.dump"),
        };
        // rabbitmqctl's own distribution ports: a range of this node's, not the shared default 35672-35682.
        if (DistPort + 10010 <= 65535)
        {
            environment["RABBITMQ_CTL_DIST_PORT_MIN"] = (DistPort + 10000).ToString(CultureInfo.InvariantCulture);
            environment["RABBITMQ_CTL_DIST_PORT_MAX"] = (DistPort + 10010).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in _options.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Runs a command to its end; returns its standard output, and standard output and error as they came.</summary>
    private Task<(string Stdout, string Output)> RunAsync(string fileName, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct) =>
        RunProcessAsync(fileName, args, _environment, timeout, ct);

    private static async Task<(string Stdout, string Output)> RunProcessAsync(
        string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        if (Path.IsPathRooted(fileName) && !File.Exists(fileName))
        {
            throw new BrokerNodeException($"{fileName} is missing: install RabbitMQ with scripts/bootstrap.sh broker");
        }

        // Only this node's settings: none of the test process's RABBITMQ_* variables.
        var inherited = System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(name => name.StartsWith("RABBITMQ_", StringComparison.Ordinal));
        var command = $"{fileName} {string.Join(' ', args)}";
        var stopwatch = Stopwatch.StartNew();
        using var process = new ChildProcess(fileName, args, environment, unset: inherited.ToList());
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BrokerNodeException($"'{command}' did not finish within {timeout.TotalSeconds} s.\n{Describe(process)}");
        }

        if (exitCode != 0)
        {
            throw new BrokerNodeException($"'{command}' failed with exit code {exitCode} after {stopwatch.ElapsedMilliseconds} ms.\n{Describe(process)}");
        }

        return (process.StandardOutput, process.Output);
    }

    private static string Describe(ChildProcess process) => AnsiEscape().Replace(process.Output, "");

    private static string Seconds(TimeSpan span) => ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The node's server beam processes: those that boot rabbit and whose environment names this node (found so
    /// even when the pid file is gone). The exact RABBITMQ_NODENAME keeps every other node, rabbit@localhost
    /// included, out; the "-s rabbit boot" arguments keep rabbitmqctl's own beam (same environment) out.
    /// </summary>
    private List<int> BeamPids() => FindBeams(NodeName).Select(beam => beam.Pid).ToList();

    private static List<(int Pid, string MnesiaBase)> FindBeams(string nodeName)
    {
        var beams = new List<(int Pid, string MnesiaBase)>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid))
            {
                continue;
            }

            try
            {
                // rabbitmqctl runs a beam.smp with the node's environment too; only the server's boots rabbit.
                if (File.ReadAllText(Path.Combine(folder, "comm")).Trim() != "beam.smp"
                    || !File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("\0-s\0rabbit\0boot\0", StringComparison.Ordinal))
                {
                    continue;
                }

                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (environment.Contains("RABBITMQ_NODENAME=" + nodeName, StringComparer.Ordinal))
                {
                    var mnesia = environment.FirstOrDefault(entry => entry.StartsWith("RABBITMQ_MNESIA_BASE=", StringComparison.Ordinal)) ?? "";
                    beams.Add((pid, mnesia["RABBITMQ_MNESIA_BASE=".Length..]));
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
    /// owner (the test process that started it, written to its "owner" file) is gone. A node of a running test
    /// process, or one started otherwise, is left alone and the start fails.
    /// </summary>
    private static void KillLeftoversOf(string nodeName)
    {
        var ours = Path.Combine(Path.GetTempPath(), FolderPrefix);
        foreach (var (pid, mnesia) in FindBeams(nodeName))
        {
            if (!mnesia.StartsWith(ours, StringComparison.Ordinal))
            {
                throw new BrokerNodeException($"a node named {nodeName} already runs (pid {pid}) and is not a test's; choose another name");
            }

            var ownerFile = Path.Combine(Path.GetDirectoryName(mnesia.TrimEnd('/')) ?? "", "owner");
            if (!File.Exists(ownerFile)
                || !int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                || IsAlive(owner))
            {
                throw new BrokerNodeException(
                    $"a node named {nodeName} already runs (pid {pid}, folder {Path.GetDirectoryName(ownerFile)}) for a test process that still runs, or of unknown owner; choose another name");
            }

            SigKill(pid);
            for (var i = 0; i < 100 && IsAlive(pid); i++)
            {
                Thread.Sleep(50);
            }

            var folder = Path.GetDirectoryName(ownerFile) ?? "";
            try
            {
                if (folder.StartsWith(ours, StringComparison.Ordinal))
                {
                    System.IO.Directory.Delete(folder, recursive: true);
                }
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

    private async Task WaitUntilGoneAsync(IReadOnlyList<int> pids, TimeSpan patience, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Any(IsAlive))
        {
            if (deadline.Elapsed > patience)
            {
                throw new BrokerNodeException($"{this}: pid {string.Join(", ", pids.Where(IsAlive))} still runs after {patience.TotalSeconds} s");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
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

