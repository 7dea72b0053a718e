using AksEgress.Catalog;

namespace AksEgress.Core.Tests;

public class EmbeddedCatalogTests
{
    [Fact]
    public void The_embedded_catalog_loads_without_errors()
    {
        var catalog = RuleCatalog.Embedded;
        Assert.NotEmpty(catalog.Rules);
    }
}
