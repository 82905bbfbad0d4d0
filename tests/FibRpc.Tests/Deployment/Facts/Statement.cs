namespace FibRpc.Tests.Deployment.Facts;

/// <summary>One file's claim about a fact of the deployment: "the request queue is rpc_queue", with where it says so.</summary>
internal sealed record Statement(string Fact, string Value, string File, string Location)
{
    public override string ToString() => $"{File} ({Location}) says '{Value}'";
}
