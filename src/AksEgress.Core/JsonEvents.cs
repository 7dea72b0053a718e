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

        var events = new List<ParsingEvent> { new StreamStart(Mark.Empty, Mark.Empty), new DocumentStart(null, null, true, Mark.Empty, Mark.Empty) };
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                var at = At(reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow, at, at));
                        break;
                    case JsonTokenType.EndObject:
                        events.Add(new MappingEnd(at, at));
                        break;
                    case JsonTokenType.StartArray:
                        events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow, at, at));
                        break;
                    case JsonTokenType.EndArray:
                        events.Add(new SequenceEnd(at, at));
                        break;
                    case JsonTokenType.PropertyName:
                    case JsonTokenType.String:
                        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, reader.GetString()!, ScalarStyle.DoubleQuoted, false, true, at, at));
                        break;
                    default:
                        // Numbers, true, false and null: the plain scalars YAML reads from the same text.
                        var raw = Encoding.UTF8.GetString(bytes, (int)reader.TokenStartIndex, reader.ValueSpan.Length);
                        events.Add(new Scalar(AnchorName.Empty, TagName.Empty, raw, ScalarStyle.Plain, true, false, at, at));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        events.Add(new DocumentEnd(true, Mark.Empty, Mark.Empty));
        events.Add(new StreamEnd(Mark.Empty, Mark.Empty));
        return new EventList(events);
    }

    private sealed class EventList(List<ParsingEvent> events) : IParser
    {
        private int _next;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = _next < events.Count ? events[_next++] : null;
            return Current is not null;
        }
    }
}
