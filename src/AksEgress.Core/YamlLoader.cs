using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AksEgress;

/// <summary>
/// Loads YAML (and JSON) into YamlDotNet's representation model, which keeps every node's line and column. Malformed or
/// hostile input is a <see cref="YamlSyntaxError"/>, never an exception and never a crash: YamlDotNet throws YamlException
/// for most malformed input and ArgumentException or InvalidOperationException for some (found by fuzzing); and before
/// the model is built (recursively: deep nesting would overflow the stack and kill the process), one pass over the
/// parser's events enforces <see cref="YamlLimits"/>: nesting depth, aliases that refer to their own ancestor (a cycle),
/// aliases and collections as mapping keys, the number of aliases, and how many nodes aliases may add when expanded.
/// </summary>
internal static class YamlLoader
{
    /// <param name="prune">
    /// Leaves out of the model what it drops (a manifest's unread bulk); the text is still parsed and checked whole. With
    /// it, the YAML events the limits were checked on (those it keeps) are the ones the model is built from: YAML is
    /// parsed once, and only half of a dump's events are held.
    /// </param>
    public static YamlStream Load(string text, out YamlSyntaxError? error, YamlLimits? limits = null, Func<IParser?, NetworkPolicy.ManifestPruning>? prune = null)
    {
        var stream = new YamlStream();
        limits ??= YamlLimits.Default;
        error = null;
        // Strict JSON has no aliases and its depth is bounded by the reader: the event pass is not needed.
        var parser = JsonEvents.TryRead(text, limits.MaxDepth);
        if (parser is null)
        {
            var filter = prune?.Invoke(null);
            error = Check(text, limits, filter, out var kept);
            if (error is not null)
            {
                return stream;
            }

            parser = filter is null || filter.Broken ? new Parser(new StringReader(text)) : new ParsingEventList(kept!);
        }
        else if (prune is not null)
        {
            parser = prune(parser);
        }

        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            error = new YamlSyntaxError((int)ex.Start.Line, (int)ex.Start.Column, ex.Message.Split('\n')[0]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            error = new YamlSyntaxError((int)at.Line, (int)at.Column, "the document has a structure YAML does not allow here");
        }

        return stream;
    }

    /// <summary>One pass over the events, with no recursion: the first limit broken, or null.</summary>
    private static YamlSyntaxError? Check(string text, YamlLimits limits, NetworkPolicy.ManifestPruning? filter, out List<ParsingEvent?>? kept)
    {
        var parser = new Parser(new StringReader(text));
        kept = filter is null ? null : [];
        // One frame per open collection: its anchor, the nodes under it (aliases expanded), and for a mapping whether the next node is a key.
        var open = new Stack<(string? Anchor, long Nodes, bool Mapping, bool ExpectKey)>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long nodes = 0, expanded = 0;
        var aliases = 0;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                if (filter is not null && filter.Keep(e))
                {
                    kept!.Add(e);
                }

                YamlSyntaxError Fail(string message) => new((int)e.Start.Line, (int)e.Start.Column, message);
                bool InKeyPosition() => open.Count > 0 && open.Peek().Mapping && open.Peek().ExpectKey;

                void Node(long size)
                {
                    if (open.Count > 0)
                    {
                        var top = open.Pop();
                        open.Push((top.Anchor, top.Nodes + size, top.Mapping, top.Mapping ? !top.ExpectKey : top.ExpectKey));
                    }
                }

                switch (e)
                {
                    case MappingStart or SequenceStart:
                        if (InKeyPosition())
                        {
                            return Fail("a mapping key must be a plain value, not a mapping or a list");
                        }

                        if (open.Count >= limits.MaxDepth)
                        {
                            return Fail($"the document nests deeper than {limits.MaxDepth} levels");
                        }

                        nodes++;
                        var anchor = ((NodeEvent)e).Anchor;
                        open.Push((anchor.IsEmpty ? null : anchor.Value, 1, e is MappingStart, true));
                        break;
                    case MappingEnd or SequenceEnd:
                        var done = open.Pop();
                        if (done.Anchor is not null)
                        {
                            sizes[done.Anchor] = done.Nodes;
                        }

                        Node(done.Nodes);
                        break;
                    case Scalar scalar:
                        nodes++;
                        if (!scalar.Anchor.IsEmpty)
                        {
                            sizes[scalar.Anchor.Value] = 1;
                        }

                        Node(1);
                        break;
                    case AnchorAlias alias:
                        if (InKeyPosition())
                        {
                            return Fail($"an alias (*{alias.Value.Value}) cannot be a mapping key");
                        }

                        if (open.Any(o => o.Anchor == alias.Value.Value))
                        {
                            return Fail($"the alias *{alias.Value.Value} refers to a node that contains it: the document would never end");
                        }

                        if (++aliases > limits.MaxAliases)
                        {
                            return Fail($"more than {limits.MaxAliases} aliases");
                        }

                        var size = sizes.TryGetValue(alias.Value.Value, out var known) ? known : 1;
                        expanded += size;
                        if (expanded > Math.Max(limits.MinExpansionAllowance, nodes))
                        {
                            return Fail($"aliases expand to more than {Math.Max(limits.MinExpansionAllowance, nodes)} nodes (as many as the document has, or {limits.MinExpansionAllowance:N0}): a document that grows when read is refused");
                        }

                        Node(size);
                        break;
                }
            }
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

        return null;
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
