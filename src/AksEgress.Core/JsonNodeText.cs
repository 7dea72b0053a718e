using System.Text.Json.Nodes;

namespace AksEgress;

/// <summary>Reading ARM's JSON: a field that should hold a string, as a string, or null when it is absent or of another type (never an exception).</summary>
internal static class JsonNodeText
{
    public static string? StringValue(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
