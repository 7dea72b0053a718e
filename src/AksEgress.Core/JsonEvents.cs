using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AksEgress;

/// <summary>
/// A JSON text as the parsing events YAML's parser would give for it (JSON is YAML), read by System.Text.Json's
/// reader: several times faster than the YAML parser on the large JSON dumps kubectl writes, with the same nodes,
/// styles (strings quoted, numbers and literals plain) and line/column marks. Null when the text is not strict JSON
/// or nests deeper than allowed: the YAML path then reads it and reports what is wrong.
/// </summary>
internal static class JsonEvents
{
    public static IParser? TryRead(string text, int maxDepth)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        if (start == text.Length || (text[start] != '{' && text[start] != '['))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        Mark At(long offset)
        {
            var line = lineStarts.BinarySearch((int)offset);
            line = line >= 0 ? line : ~line - 1;
            return new Mark(offset, line + 1, offset - lineStarts[line] + 1);
        }

        // A first pass checks that the whole text is strict JSON within the depth (no allocation); the events are then
        // made one at a time as the model asks for them, so no list of every event is ever held (a 59 MiB dump's
        // events were 1 GiB more at peak).
        var check = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (check.Read())
            {
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return new Stream(bytes, At, maxDepth);
    }

    /// <summary>The events of a JSON text already checked, read on demand with the reader's saved state.</summary>
    private sealed class Stream(byte[] bytes, Func<long, Mark> at, int maxDepth) : IParser
    {
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = maxDepth });
        private long _consumed;
        private int _step;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = _step switch
            {
                0 => new StreamStart(Mark.Empty, Mark.Empty),
                1 => new DocumentStart(null, null, true, Mark.Empty, Mark.Empty),
                2 => Next() ?? new DocumentEnd(true, Mark.Empty, Mark.Empty),
                3 => new StreamEnd(Mark.Empty, Mark.Empty),
                _ => null,
            };
            if (_step != 2 || Current is DocumentEnd)
            {
                _step++;
            }

            return Current is not null;
        }

        private readonly Queue<ParsingEvent> _pending = new();

        /// <summary>The next event; they are made a few thousand at a time, with one reader each time (a reader per token is slower).</summary>
        private ParsingEvent? Next()
        {
            if (_pending.Count == 0)
            {
                Fill(4096);
            }

            return _pending.Count > 0 ? _pending.Dequeue() : null;
        }

        private void Fill(int count)
        {
            var reader = new Utf8JsonReader(bytes.AsSpan((int)_consumed), isFinalBlock: true, _state);
            while (_pending.Count < count && reader.Read())
            {
                var offset = _consumed + reader.TokenStartIndex;
                var mark = at(offset);
                _pending.Enqueue(reader.TokenType switch
                {
                    JsonTokenType.StartObject => new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow, mark, mark),
                    JsonTokenType.EndObject => new MappingEnd(mark, mark),
                    JsonTokenType.StartArray => new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow, mark, mark),
                    JsonTokenType.EndArray => new SequenceEnd(mark, mark),
                    JsonTokenType.PropertyName or JsonTokenType.String => new Scalar(AnchorName.Empty, TagName.Empty, reader.GetString()!, ScalarStyle.DoubleQuoted, false, true, mark, mark),
                    // Numbers, true, false and null: the plain scalars YAML reads from the same text.
                    _ => new Scalar(AnchorName.Empty, TagName.Empty, Encoding.UTF8.GetString(bytes, (int)offset, reader.ValueSpan.Length), ScalarStyle.Plain, true, false, mark, mark),
                });
            }

            _consumed += reader.BytesConsumed;
            _state = reader.CurrentState;
        }
    }
}
