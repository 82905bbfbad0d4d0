namespace FibRpc.Tests.Deployment.Facts;

/// <summary>The two rules over a set of statements: same fact, same value everywhere; and every file states what it must.</summary>
internal static class Agreement
{
    /// <summary>One message per fact stated with more than one value, naming every file and value involved.</summary>
    public static IReadOnlyList<string> Disagreements(IEnumerable<Statement> statements) =>
        statements
            .GroupBy(s => s.Fact, StringComparer.Ordinal)
            .Where(fact => fact.Select(s => s.Value).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(Describe)
            .ToList();

    /// <summary>One message per requirement that its file does not meet.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<Statement> statements, IEnumerable<Requirement> requirements)
    {
        var stated = statements.Select(s => (s.File, s.Fact)).ToHashSet();
        return requirements
            .Where(r => !stated.Contains((r.File, r.Fact)))
            .Select(r => $"{r.File} does not state the {r.Fact} ({r.Why})")
            .ToList();
    }

    private static string Describe(IGrouping<string, Statement> fact)
    {
        // The most common value first: usually the one the odd file out should say.
        var byValue = fact
            .GroupBy(s => s.Value, StringComparer.Ordinal)
            .OrderByDescending(v => v.Count())
            .ThenBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => $"'{v.Key}' in {string.Join(", ", v.Select(s => $"{s.File} ({s.Location})"))}");
        return $"The {fact.Key} disagrees: {string.Join("; but ", byValue)}";
    }
}
