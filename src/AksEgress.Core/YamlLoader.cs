using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AksEgress;

/// <summary>
/// Loads YAML (and JSON) into YamlDotNet's representation model, which keeps every node's line and column. Malformed
/// input is a <see cref="YamlSyntaxError"/>, never an exception: YamlDotNet throws YamlException for most of it, and
/// ArgumentException or InvalidOperationException for some (an event its model cannot hold), found by fuzzing.
/// </summary>
internal static class YamlLoader
{
    public static YamlStream Load(TextReader text, out YamlSyntaxError? error)
    {
        var stream = new YamlStream();
        var parser = new Parser(text);
        error = null;
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
}

/// <summary>Where a YAML or JSON text stops being valid, and why.</summary>
internal sealed record YamlSyntaxError(int Line, int Column, string Message);
