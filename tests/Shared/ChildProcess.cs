using System.Diagnostics;
using System.Text;

namespace FibRpc.Testing;

/// <summary>
/// A program that a test or a benchmark starts (fibrpc serve, fibrpc bench, a Python client, a build): its output kept
/// for results and failure messages (and written to a log file as it comes, if given), waited for with a timeout,
/// stopped with SIGTERM, and killed with its whole process tree on dispose. One source file, linked into
/// tests/FibRpc.IntegrationTests and bench/FibRpc.Benchmarks.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private StreamWriter? _log;

    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, each passed as one word (no shell).</param>
    /// <param name="environment">Variables set for it, on top of this process's environment.</param>
    /// <param name="logPath">A file its standard output and error are also written to, line by line.</param>
    /// <param name="unset">Variables of this process's environment that it does not inherit.</param>
    /// <param name="workingDirectory">Its current folder; this process's when null.</param>
    public ChildProcess(string fileName, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>>? environment = null, string? logPath = null,
        IEnumerable<string>? unset = null, string? workingDirectory = null)
    {
        // Standard input is empty, as under a service manager: nothing waits on the test's terminal.
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in unset ?? [])
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        _log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, line) => Append(line.Data, standardOutput: true);
        _process.ErrorDataReceived += (_, line) => Append(line.Data, standardOutput: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and standard error as they came, line by line.</summary>
    public string Output => Read(_output);

    /// <summary>Standard output alone (what a program prints as its result, e.g. fibrpc bench --json).</summary>
    public string StandardOutput => Read(_standardOutput);

    /// <summary>CPU time (user + system) used so far; zero once the process has exited.</summary>
    public TimeSpan CpuTime => Sample(process => process.TotalProcessorTime, TimeSpan.Zero);

    /// <summary>Resident memory now (VmRSS), in kB; zero once the process has exited.</summary>
    public long ResidentKilobytes => Sample(process => process.WorkingSet64 / 1024, 0L);

    /// <summary>Null while the process runs, else how it ended and the end of its output.</summary>
    public string? WhyNotRunning()
    {
        if (!_process.HasExited)
        {
            return null;
        }

        var output = Output;
        return $"{Path.GetFileName(_process.StartInfo.FileName)} (pid {Id}) exited with code {_process.ExitCode}; its output ends:\n{output[Math.Max(0, output.Length - 2000)..]}";
    }

    /// <summary>Sends SIGKILL to the process and its children: they die at once, mid-request, without cleaning up anything.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM, as Kubernetes and systemd do to stop a program.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Waits for the process to exit (its output read to the end) and returns its exit code. A process that has exited
    /// while something it started still holds its output open (a daemon it detached) counts as exited at the deadline.
    /// </summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="patience"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan patience, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_process.HasExited)
        {
            throw new TimeoutException($"{Path.GetFileName(_process.StartInfo.FileName)} did not exit within {patience.TotalSeconds} s. Output:\n{Output}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Exited; what it started keeps the pipes: take the output there is.
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, so that it closes its connections as in production; SIGKILL if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Terminate();
        try
        {
            await WaitForExitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private T Sample<T>(Func<Process, T> read, T exited)
    {
        try
        {
            _process.Refresh();
            return _process.HasExited ? exited : read(_process);
        }
        catch (InvalidOperationException)
        {
            return exited; // it exited between the check and the read
        }
    }

    private string Read(StringBuilder text)
    {
        lock (_output)
        {
            return text.ToString();
        }
    }

    private void Append(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (standardOutput)
            {
                _standardOutput.AppendLine(line);
            }

            _log?.WriteLine(line);
        }
    }
}
