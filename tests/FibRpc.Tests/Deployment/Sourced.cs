namespace FibRpc.Tests.Deployment;

/// <summary>A value read from a deployment file, with where it came from, so a mismatch names both places.</summary>
internal sealed record Sourced(string File, string Location, string? Value)
{
    public override string ToString() => $"{File} ({Location}) = {(Value is null ? "<missing>" : $"'{Value}'")}";

    /// <summary>Fails unless both values are equal (ordinal), naming both places and both values.</summary>
    public static void AssertAgree(Sourced expected, Sourced actual)
    {
        Assert.True(
            expected.Value is not null && string.Equals(expected.Value, actual.Value, StringComparison.Ordinal),
            $"Deployment files disagree: {expected} but {actual}");
    }

    /// <summary>Fails unless the value is present and equal to what the platform requires, naming the place.</summary>
    public void AssertIs(string required, string why)
    {
        Assert.True(
            string.Equals(Value, required, StringComparison.Ordinal),
            $"{this}, expected '{required}' ({why})");
    }
}
