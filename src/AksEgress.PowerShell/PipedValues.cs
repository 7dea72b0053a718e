namespace AksEgress.PowerShell;

/// <summary>What the piped requirements agree on, for the cmdlets that infer a default from them.</summary>
internal static class PipedValues
{
    /// <summary>The value every item shares; default when there are none or they differ.</summary>
    public static T? Shared<T>(IEnumerable<T> values)
    {
        var distinct = values.Distinct().Take(2).ToList();
        return distinct.Count == 1 ? distinct[0] : default;
    }
}
