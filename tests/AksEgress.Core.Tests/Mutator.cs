using System.Text;

namespace AksEgress.Core.Tests;

/// <summary>Random edits of YAML text for the fuzz tests: deletions, YAML punctuation, duplicated runs, swapped and re-indented lines.</summary>
internal static class Mutator
{
    private static readonly string[] Fragments = ["{", "}", "[", "]", ":", "- ", "\n", "  ", "'", "\"", "&a ", "*a", "!!int ", "null", "~", "-1", "99999999999", "0", "::", "/", "10.0.0.0/33", "#", "---\n", "? ", "|\n", "\t"];

    public static void Mutate(StringBuilder text, Random random)
    {
        if (text.Length == 0)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
            return;
        }

        var at = random.Next(text.Length);
        switch (random.Next(6))
        {
            case 0:
                text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at));
                break;
            case 1:
                text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                break;
            case 2:
                var length = Math.Min(random.Next(1, 40), text.Length - at);
                text.Insert(random.Next(text.Length), text.ToString(at, length));
                break;
            case 3:
                var lines = text.ToString().Split('\n').ToList();
                var i = random.Next(lines.Count);
                var j = random.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                text.Clear().Append(string.Join("\n", lines));
                break;
            case 4:
                var all = text.ToString().Split('\n');
                var line = random.Next(all.Length);
                all[line] = random.Next(2) == 0 ? "  " + all[line] : all[line].TrimStart();
                text.Clear().Append(string.Join("\n", all));
                break;
            default:
                text[at] = (char)random.Next(32, 127);
                break;
        }
    }

}
