using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

public class LocationResolverTests
{
    [Theory]
    [InlineData("westeurope")]
    [InlineData("West Europe")]
    [InlineData("WESTEUROPE")]
    public void Names_and_display_names_of_a_region_resolve_to_the_region(string typed) =>
        Assert.Equal("westeurope", LocationResolver.Resolve(RuleCatalog.Embedded, AksCloud.AzureCloud, typed));

    [Fact]
    public void A_misspelt_region_names_the_closest_regions()
    {
        var ex = Assert.Throws<UnknownLocationException>(() => LocationResolver.Resolve(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurop"));
        Assert.Equal("westeurope", ex.Suggestions[0]);
        Assert.Contains("'westeurop' is not a region of AzureCloud", ex.Message);
    }

    [Fact]
    public void A_region_of_another_cloud_says_which_cloud_to_choose()
    {
        var ex = Assert.Throws<UnknownLocationException>(() => LocationResolver.Resolve(RuleCatalog.Embedded, AksCloud.AzureCloud, "usgovvirginia"));
        Assert.Contains("-Cloud AzureUSGovernment", ex.Message);
    }
}
