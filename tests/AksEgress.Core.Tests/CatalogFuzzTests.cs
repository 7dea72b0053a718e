using System.Reflection;
using System.Text;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

/// <summary>A mutated catalog (what -CatalogPath may be given) is either valid or a CatalogException; nothing else escapes.</summary>
public class CatalogFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Mutated_catalogs_are_valid_or_rejected_with_positions(int seed)
    {
        using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream("AksEgress.Catalog.aks-egress-catalog.yaml")!;
        var original = new StreamReader(stream).ReadToEnd();
        var random = new Random(seed);
        for (var round = 0; round < 40; round++)
        {
            var text = new StringBuilder(original);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                Mutator.Mutate(text, random);
            }

            try
            {
                var catalog = RuleCatalog.Load(new StringReader(text.ToString()), "fuzz.yaml");
                _ = RequirementEngine.Query(catalog, new RequirementQuery { Location = "westeurope", AsOf = DateTime.UtcNow, IncludeOptional = true, Features = Enum.GetValues<AksFeature>() });
            }
            catch (CatalogException ex)
            {
                Assert.All(ex.Errors, e => Assert.True(e.Line >= 1 && e.File == "fuzz.yaml", e.ToString()));
            }
            catch (UnknownLocationException)
            {
                // a mutation that removes westeurope from the regions: the documented answer
            }
        }
    }
}
