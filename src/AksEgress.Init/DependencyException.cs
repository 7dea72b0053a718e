using System;

namespace AksEgress.Init;

/// <summary>The module's dependencies cannot be used as they are: its message names the file and the fix.</summary>
public sealed class DependencyException(string message) : Exception(message);
