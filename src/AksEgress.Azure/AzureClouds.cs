using global::Azure.Identity;
using global::Azure.ResourceManager;
using AksEgress.Catalog;

namespace AksEgress.Azure;

/// <summary>The ARM endpoint and the Microsoft Entra authority of each cloud.</summary>
public static class AzureClouds
{
    public static ArmEnvironment Environment(AksCloud cloud) => cloud switch
    {
        AksCloud.AzureChinaCloud => ArmEnvironment.AzureChina,
        AksCloud.AzureUSGovernment => ArmEnvironment.AzureGovernment,
        _ => ArmEnvironment.AzurePublicCloud,
    };

    public static Uri AuthorityHost(AksCloud cloud) => cloud switch
    {
        AksCloud.AzureChinaCloud => AzureAuthorityHosts.AzureChina,
        AksCloud.AzureUSGovernment => AzureAuthorityHosts.AzureGovernment,
        _ => AzureAuthorityHosts.AzurePublicCloud,
    };
}
