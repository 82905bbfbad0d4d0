using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FibRpc.Benchmarks.Plan;

/// <summary>
/// A process the plan started (a consumer, a build, a <c>fibrpc bench</c> run), its output going to a log file, and
/// stopped with SIGTERM (then SIGKILL) so that consumers close their channels as they would in production.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<string> _standardOutput = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, StreamWriter log, string name)
    {
        _process = process;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory now (VmRSS), in kB.</summary>
    public long ResidentKilobytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / 1024;
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>. Standard error, and standard output unless <paramref name="captureOutput"/>,
    /// go to <paramref name="logPath"/>; a captured standard output is returned by <see cref="WaitAsync"/>.
    /// </summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null, bool captureOutput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var child = new ChildProcess(process, log, name);
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, line) => child.Log(line.Data);
        process.BeginErrorReadLine();
        if (captureOutput)
        {
            _ = Task.Run(async () => child._standardOutput.TrySetResult(await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false)));
        }
        else
        {
            process.OutputDataReceived += (_, line) => child.Log(line.Data);
            process.BeginOutputReadLine();
            child._standardOutput.TrySetResult(string.Empty);
        }

        return child;
    }

    /// <summary>Waits for the process to exit; returns its exit code and its captured standard output.</summary>
    public async Task<(int ExitCode, string Output)> WaitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (_process.ExitCode, await _standardOutput.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Null while running, else how it ended and the end of its log.</summary>
    public string? WhyNotRunning() => _process.HasExited ? $"{Name} exited with code {_process.ExitCode} (log: {((FileStream)_log.BaseStream).Name})" : null;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
