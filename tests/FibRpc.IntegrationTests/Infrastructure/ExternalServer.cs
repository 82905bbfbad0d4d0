namespace FibRpc.IntegrationTests.Infrastructure;

/// <summary>
/// The suite against any server: with <c>FIBRPC_TEST_SERVER_QUEUE</c> set (for example to <c>rpc_queue</c> while the
/// Functions host runs under <c>func start</c>), the wire-contract tests talk to the server that already consumes that
/// queue on the broker of <c>FIBRPC_TEST_BROKER</c> instead of starting the service in-process; the tests that need
/// the service in-process are skipped, each saying why.
/// </summary>
public static class ExternalServer
{
    public const string QueueVariable = "FIBRPC_TEST_SERVER_QUEUE";

    /// <summary>The queue a running server consumes, or null to test the service in-process (the default).</summary>
    public static string? Queue => Environment.GetEnvironmentVariable(QueueVariable) is { Length: > 0 } queue ? queue : null;

    public static bool IsSet => Queue is not null;

    /// <summary>Fails, saying how to start one, unless a server consumes <paramref name="queue"/>.</summary>
    public static async Task AssertConsumedAsync(Broker broker, string queue) =>
        Assert.True(await broker.ConsumerCountAsync(queue) > 0, $"{ExternalServer.QueueVariable}={queue}, but no server consumes '{queue}' on {Broker.Uri}: start it first (scripts/run.sh, or func start in FibFunction/)");

    public const string SkipReason =
        "needs the service in-process (its own queue, injected faults, log capture or its own broker node); skipped because "
        + QueueVariable + " points the suite at a running server";
}

/// <summary>A test that needs the service in-process: skipped, with the reason, when the suite runs against a running server.</summary>
public sealed class InProcessFactAttribute : FactAttribute
{
    public InProcessFactAttribute() => Skip = ExternalServer.IsSet ? ExternalServer.SkipReason : null;
}

/// <summary>The theory form of <see cref="InProcessFactAttribute"/>.</summary>
public sealed class InProcessTheoryAttribute : TheoryAttribute
{
    public InProcessTheoryAttribute() => Skip = ExternalServer.IsSet ? ExternalServer.SkipReason : null;
}
