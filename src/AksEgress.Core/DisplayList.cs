using System.Collections.ObjectModel;

namespace AksEgress;

/// <summary>
/// A list on an output object: an array to ConvertTo-Json and to scripts, and its items' text joined with ", " where a
/// list has to become one piece of text (Export-Csv writes ToString(), which for a List is its type name).
/// </summary>
public sealed class DisplayList<T>(IList<T> items) : ReadOnlyCollection<T>(items)
{
    public static DisplayList<T> Empty { get; } = new([]);

    public static implicit operator DisplayList<T>(T[] items) => new(items);

    public static implicit operator DisplayList<T>(List<T> items) => new(items);

    public override string ToString() => string.Join(", ", this);
}
