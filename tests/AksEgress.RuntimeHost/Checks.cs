namespace AksEgress.RuntimeHost;

/// <summary>Named checks, each passed or failed with the reason, printed as they run.</summary>
public sealed class Checks(string runtime)
{
    public string Runtime { get; } = runtime;
    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }

    public void Run(string name, Action check)
    {
        try
        {
            check();
            Passed++;
            Console.WriteLine($"  [+] {name}");
        }
        catch (Exception ex)
        {
            Failed++;
            Console.WriteLine($"  [-] {name}\n      {ex.GetType().FullName}: {ex.Message}\n{Indent(ex.ToString())}");
        }
    }

    public void Skip(string name, string reason)
    {
        Skipped++;
        Console.WriteLine($"  [!] {name} (skipped: {reason})");
    }

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Take(12).Select(l => "      " + l.TrimEnd()));
}

/// <summary>Assertions that say what was expected and what came.</summary>
public static class Expect
{
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new InvalidOperationException($"{what}: expected {expected}, got {actual}.");
        }
    }

    public static void Sequence<T>(IEnumerable<T> expected, IEnumerable<T> actual, string what)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.SequenceEqual(a))
        {
            throw new InvalidOperationException($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}].");
        }
    }

    public static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    public static TException Throws<TException>(Action action, string what)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException ex)
        {
            return ex;
        }
        catch (AggregateException ex) when (ex.InnerException is TException inner)
        {
            return inner;
        }

        throw new InvalidOperationException($"{what}: expected {typeof(TException).Name}, nothing was thrown.");
    }
}
