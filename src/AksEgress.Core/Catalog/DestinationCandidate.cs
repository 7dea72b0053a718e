namespace AksEgress.Catalog;

/// <summary>One way to write a rule's destination; may hold placeholders such as <c>{location}</c>.</summary>
public sealed record DestinationCandidate(string Value, DestinationType Type);
