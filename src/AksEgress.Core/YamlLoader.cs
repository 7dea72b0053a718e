using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AksEgress;

/// <summary>
/// Loads YAML (and JSON) into YamlDotNet's representation model, which keeps every node's line and column. Malformed or
/// hostile input is a <see cref="YamlSyntaxError"/>, never an exception and never a crash: YamlDotNet throws YamlException
/// for most malformed input and ArgumentException or InvalidOperationException for some (found by fuzzing); and every
/// YAML event is checked against <see cref="YamlLimits"/> before the model (which is built recursively: deep nesting
/// would overflow the stack and kill the process) sees it: nesting depth, aliases that refer to their own ancestor (a
/// cycle) or to no anchor before them, aliases and collections as mapping keys, the number of aliases, and how many nodes aliases may add when
/// expanded. The text is parsed once, as the model asks for its events; none is held beyond that.
/// </summary>
internal static class YamlLoader
{
    /// <summary>The whole text as one model (a catalog, or manifests that cannot be read item by item).</summary>
    /// <param name="prune">
    /// Leaves out of the model what it drops (a manifest's unread bulk); the text is still parsed and checked whole. When
    /// it reports itself <see cref="NetworkPolicy.ManifestPruning.Broken"/> (an alias to what it dropped), the text is
    /// loaded again, unpruned.
    /// </param>
    public static YamlStream Load(string text, out YamlSyntaxError? error, YamlLimits? limits = null, CancellationToken cancellationToken = default,
        Func<IParser, NetworkPolicy.ManifestPruning>? prune = null)
    {
        var stream = new YamlStream();
        var events = Events(text, limits ?? YamlLimits.Default, cancellationToken);
        var pruning = prune?.Invoke(events);
        var parser = (IParser?)pruning ?? events;
        error = Guard(parser, () => stream.Load(parser));
        return pruning is { Broken: true } ? Load(text, out error, limits, cancellationToken) : stream;
    }

    /// <summary>
    /// Reads a text document by document, handing each root to <paramref name="onRoot"/>; the entries of a root
    /// mapping's <c>items</c> list (kubectl's <c>kind: List</c>, 10,000 pods in one document) are taken out of it and each
    /// handed to <paramref name="onItem"/> as soon as it is read, before its root: only one item's model is held at a
    /// time (the whole model of a 41 MiB dump cost a fifth of its reading time in garbage collection), and the root keeps
    /// an empty <c>items</c>. False when the text must be read whole with <see cref="Load"/> instead: an alias refers to
    /// an anchor in another item, or in what <paramref name="prune"/> dropped.
    /// </summary>
    public static bool TryLoadItemByItem(string text, Func<IParser, NetworkPolicy.ManifestPruning> prune, Action<YamlNode> onItem, Action<YamlNode> onRoot, out YamlSyntaxError? error, CancellationToken cancellationToken = default)
    {
        var pruning = prune(Events(text, YamlLimits.Default, cancellationToken));
        var whole = false;
        error = Guard(pruning, () =>
        {
            try
            {
                pruning.MoveNext(); // StreamStart
                while (pruning.MoveNext() && pruning.Current is DocumentStart)
                {
                    pruning.MoveNext(); // the root's first event: YAML gives an empty document an empty scalar
                    onRoot(OneNode.Load(pruning, onItem));
                    pruning.MoveNext(); // DocumentEnd
                }
            }
            catch (AnchorNotFoundException)
            {
                // Every alias refers to an anchor before it (the limits check that): this one is in another item.
                whole = true;
            }
        });
        whole |= pruning.Broken;
        error = whole ? null : error;
        return !whole;
    }

    /// <summary>
    /// Strict JSON has no aliases and its depth is bounded by the reader: it needs no event checks (and is read in well
    /// under a second per 50 MiB). YAML is checked event by event, and stops at Ctrl+C within a few thousand events.
    /// </summary>
    private static IParser Events(string text, YamlLimits limits, CancellationToken cancellationToken) =>
        JsonEvents.TryRead(text, limits.MaxDepth) ?? new LimitedParser(new Parser(new StringReader(text)), limits, cancellationToken);

    /// <summary>Runs <paramref name="load"/>; a limit broken or the text's first error is the result, never an exception.</summary>
    private static YamlSyntaxError? Guard(IParser parser, Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (LimitExceeded ex)
        {
            return ex.Error;
        }
        catch (YamlException ex)
        {
            return new YamlSyntaxError((int)ex.Start.Line, (int)ex.Start.Column, ex.Message.Split('\n')[0]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            return new YamlSyntaxError((int)at.Line, (int)at.Column, "the document has a structure YAML does not allow here");
        }
    }

    /// <summary>
    /// The node that starts at <c>source.Current</c>, as a stream of one document for YamlDotNet's model; with
    /// <c>onItem</c>, the entries of the node's (a root mapping's) <c>items</c> list are each loaded on their own instead.
    /// </summary>
    private sealed class OneNode(IParser source, Action<YamlNode>? onItem) : IParser
    {
        private int _step, _depth;
        private bool _key = true, _itemsKey, _items;

        public ParsingEvent? Current { get; private set; }

        public static YamlNode Load(IParser source, Action<YamlNode>? onItem)
        {
            var stream = new YamlStream();
            stream.Load(new OneNode(source, onItem));
            return stream.Documents[0].RootNode;
        }

        public bool MoveNext()
        {
            Current = _step switch
            {
                0 => new StreamStart(),
                1 => new DocumentStart(),
                2 => Next(),
                3 => new DocumentEnd(isImplicit: true),
                4 => new StreamEnd(),
                _ => null,
            };
            _step += _step == 2 && _depth > 0 ? 0 : 1;
            return Current is not null;
        }

        private ParsingEvent Next()
        {
            if (_step == 2 && Current is not DocumentStart && !source.MoveNext())
            {
                throw new YamlException(Current?.End ?? Mark.Empty, Current?.End ?? Mark.Empty, "the document ends inside a node");
            }

            if (_items)
            {
                // The items list of the root mapping: each entry is a model of its own, and the list stays empty.
                _items = false;
                while (source.Current is not SequenceEnd)
                {
                    onItem!(Load(source, null));
                    source.MoveNext();
                }
            }

            var e = source.Current!;
            if (_depth == 1 && onItem is not null && e is Scalar or AnchorAlias or MappingStart or SequenceStart)
            {
                // A node directly in the root mapping: a key, then its value.
                _items = !_key && _itemsKey && e is SequenceStart;
                _itemsKey = _key && e is Scalar { Value: "items" };
                _key = !_key;
            }

            _depth += e switch { MappingStart or SequenceStart => 1, MappingEnd or SequenceEnd => -1, _ => 0 };
            onItem = _depth == 1 && e is SequenceStart ? null : onItem; // a root list has no items to take out
            return e;
        }
    }

    private sealed class LimitExceeded(YamlSyntaxError error) : Exception(error.Message)
    {
        public YamlSyntaxError Error { get; } = error;
    }

    /// <summary>A YAML parser whose events are each checked before they are handed out: the first limit broken is thrown as <see cref="LimitExceeded"/>.</summary>
    private sealed class LimitedParser(IParser source, YamlLimits limits, CancellationToken cancellationToken) : IParser
    {
        // One frame per open collection: its anchor, the nodes under it (aliases expanded), and for a mapping whether the next node is a key.
        private readonly Stack<(string? Anchor, long Nodes, bool Mapping, bool ExpectKey)> _open = new();
        private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);
        private long _nodes, _expanded, _events;
        private int _aliases;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = null;
            if ((++_events & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!source.MoveNext())
            {
                return false;
            }

            Check(source.Current!);
            Current = source.Current;
            return true;
        }

        private void Check(ParsingEvent e)
        {
            switch (e)
            {
                case MappingStart or SequenceStart:
                    if (InKeyPosition())
                    {
                        Fail(e, "a mapping key must be a plain value, not a mapping or a list");
                    }

                    if (_open.Count >= limits.MaxDepth)
                    {
                        Fail(e, $"the document nests deeper than {limits.MaxDepth} levels");
                    }

                    _nodes++;
                    var anchor = ((NodeEvent)e).Anchor;
                    _open.Push((anchor.IsEmpty ? null : anchor.Value, 1, e is MappingStart, true));
                    break;
                case MappingEnd or SequenceEnd:
                    var done = _open.Pop();
                    if (done.Anchor is not null)
                    {
                        _sizes[done.Anchor] = done.Nodes;
                    }

                    Node(done.Nodes);
                    break;
                case Scalar scalar:
                    _nodes++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _sizes[scalar.Anchor.Value] = 1;
                    }

                    Node(1);
                    break;
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (InKeyPosition())
                    {
                        Fail(e, $"an alias (*{name}) cannot be a mapping key");
                    }

                    if (_open.Any(o => o.Anchor == name))
                    {
                        Fail(e, $"the alias *{name} refers to a node that contains it: the document would never end");
                    }

                    if (!_sizes.ContainsKey(name))
                    {
                        Fail(e, $"the alias *{name} refers to no anchor (&{name}) before it");
                    }

                    if (++_aliases > limits.MaxAliases)
                    {
                        Fail(e, $"more than {limits.MaxAliases} aliases");
                    }

                    var size = _sizes[name];
                    _expanded += size;
                    var allowance = Math.Max(limits.MinExpansionAllowance, _nodes);
                    if (_expanded > allowance)
                    {
                        Fail(e, $"aliases expand to more than {allowance} nodes (as many as the document has, or {limits.MinExpansionAllowance:N0}): a document that grows when read is refused");
                    }

                    Node(size);
                    break;
            }
        }

        private bool InKeyPosition() => _open.Count > 0 && _open.Peek().Mapping && _open.Peek().ExpectKey;

        /// <summary>A node of <paramref name="size"/> is done in the collection open now: in a mapping, a key is followed by a value and a value by a key.</summary>
        private void Node(long size)
        {
            if (_open.Count > 0)
            {
                var top = _open.Pop();
                _open.Push((top.Anchor, top.Nodes + size, top.Mapping, top.Mapping ? !top.ExpectKey : top.ExpectKey));
            }
        }

        private static void Fail(ParsingEvent e, string message) => throw new LimitExceeded(new((int)e.Start.Line, (int)e.Start.Column, message));
    }
}

/// <summary>What a YAML or JSON text may do. The defaults are far above what kubectl or a catalog produces.</summary>
internal sealed record YamlLimits
{
    public static readonly YamlLimits Default = new();

    /// <summary>Kubernetes manifests nest about 15 levels (List, Deployment, pod template, container ports).</summary>
    public int MaxDepth { get; init; } = 128;
    public int MaxAliases { get; init; } = 10_000;
    /// <summary>Aliases may add as many nodes as the document has itself, and at least this many.</summary>
    public long MinExpansionAllowance { get; init; } = 100_000;
}

/// <summary>Where a YAML or JSON text stops being valid, and why.</summary>
internal sealed record YamlSyntaxError(int Line, int Column, string Message);
