namespace FibRpc.Tests.Deployment.Facts;

/// <summary>A fact a file must state, and why: without it the file cannot be checked against the others, or breaks.</summary>
internal sealed record Requirement(string File, string Fact, string Why);
