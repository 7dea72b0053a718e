namespace AksEgress;

/// <summary>Indexes that file items in lists under keys (the label indexes of the NetworkPolicy engine).</summary>
internal static class ListDictionary
{
    /// <summary>The list filed under <paramref name="key"/>, made empty the first time the key is asked for.</summary>
    public static List<TItem> ListFor<TKey, TItem>(this Dictionary<TKey, List<TItem>> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        return list;
    }
}
