using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// The parsing events of a manifest text without the parts of kubectl's output that no check reads: metadata but its
/// name, namespace, labels and ownerReferences (of an owner, its kind, name and controller); status but its podIP; a
/// container but its name and ports; a pod's spec but its containers and hostNetwork; and a workload's spec but its
/// template (when the object's kind comes before its spec, as kubectl writes it). A dump's model then holds under a
/// third of its nodes. An alias to an anchor inside what was dropped makes it <see cref="Broken"/>: the text is then
/// read whole. The text is still parsed whole, so its errors and limits are reported as before; NetworkPolicy fields
/// are never dropped (none of these paths is in one), so every field check of a policy still sees its whole spec.
/// </summary>
internal sealed class ManifestPruning(IParser source) : IParser
{
    private static readonly HashSet<string> MetadataFields = new(StringComparer.Ordinal) { "name", "namespace", "labels", "ownerReferences" };
    private static readonly HashSet<string> OwnerFields = new(StringComparer.Ordinal) { "kind", "name", "controller" };
    private static readonly HashSet<string> ContainerFields = new(StringComparer.Ordinal) { "name", "ports" };
    private static readonly HashSet<string> PodSpecFields = new(StringComparer.Ordinal) { "containers", "hostNetwork" };
    private static readonly HashSet<string> WorkloadKinds = new(StringComparer.Ordinal) { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob" };
    // One frame per open collection: its key in the parent ("[]" for a list item), for a mapping whether a key comes
    // next, and the value of its "kind" key when that came before (kubectl writes keys in order: kind before spec).
    private readonly List<(string Key, bool Mapping, bool ExpectKey, string? Kind)> _open = [];
    private string _pendingKey = "";

    private readonly HashSet<string> _droppedAnchors = new(StringComparer.Ordinal);
    private int _skipDepth;
    private bool _skipValue;

    /// <summary>An alias refers to an anchor that was dropped: the model would miss it, so the text must be read unpruned.</summary>
    public bool Broken { get; private set; }

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        while (source.MoveNext())
        {
            if (Keep(source.Current!))
            {
                Current = source.Current;
                return true;
            }
        }

        Current = null;
        return false;
    }

    /// <summary>Whether <paramref name="e"/>, the next event of the text, belongs in the model.</summary>
    private bool Keep(ParsingEvent e)
    {
        if ((_skipDepth > 0 || _skipValue) && e is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _droppedAnchors.Add(anchored.Anchor.Value);
        }
        else if (e is AnchorAlias alias && _skipDepth == 0 && !_skipValue && _droppedAnchors.Contains(alias.Value.Value))
        {
            Broken = true;
        }

        if (_skipDepth > 0)
        {
            _skipDepth += e switch { MappingStart or SequenceStart => 1, MappingEnd or SequenceEnd => -1, _ => 0 };
            return false;
        }

        if (_skipValue)
        {
            // The value of a dropped key: one scalar or alias, or a whole collection.
            _skipValue = false;
            _skipDepth = e is MappingStart or SequenceStart ? 1 : 0;
            return false;
        }

        if (e is Scalar key && _open.Count > 0 && _open[^1] is { Mapping: true, ExpectKey: true } && Drop(key.Value))
        {
            _skipValue = true;
            return false;
        }

        Track(e);
        return true;
    }

    /// <summary>Whether the value of <paramref name="key"/>, in the mapping open now, is never read.</summary>
    private bool Drop(string key)
    {
        var parent = _open[^1].Key;
        var grandparent = _open.Count > 1 ? _open[^2].Key : "";
        // The spec of an object whose kind came before it: a Pod's keeps only what the reader reads, a workload's only its template.
        var objectKind = parent == "spec" && _open.Count > 1 ? _open[^2].Kind : null;
        return (parent == "metadata" && !MetadataFields.Contains(key))
            || (parent == "[]" && grandparent == "ownerReferences" && !OwnerFields.Contains(key))
            || (parent == "status" && key != "podIP")
            || (parent == "[]" && grandparent == "containers" && !ContainerFields.Contains(key))
            || (objectKind == "Pod" && !PodSpecFields.Contains(key))
            || (objectKind is not null && WorkloadKinds.Contains(objectKind) && key is not ("template" or "jobTemplate"))
            || (parent == "spec" && grandparent == "template" && !PodSpecFields.Contains(key));
    }

    private void Track(ParsingEvent e)
    {
        switch (e)
        {
            case MappingStart or SequenceStart:
                var key = _open.Count == 0 ? "" : _open[^1].Mapping ? _pendingKey : "[]";
                Advance();
                _open.Add((key, e is MappingStart, true, null));
                break;
            case MappingEnd or SequenceEnd:
                _open.RemoveAt(_open.Count - 1);
                break;
            case Scalar scalar:
                if (_open.Count > 0 && _open[^1] is { Mapping: true, ExpectKey: true })
                {
                    _pendingKey = scalar.Value;
                }
                else if (_open.Count > 0 && _open[^1].Mapping && _pendingKey == "kind")
                {
                    _open[^1] = _open[^1] with { Kind = scalar.Value };
                }

                Advance();
                break;
            case AnchorAlias:
                Advance();
                break;
        }
    }

    /// <summary>A node is done in the collection open now: in a mapping, a key is followed by a value and a value by a key.</summary>
    private void Advance()
    {
        if (_open.Count > 0 && _open[^1].Mapping)
        {
            var top = _open[^1];
            _open[^1] = top with { ExpectKey = !top.ExpectKey };
        }
    }
}
