namespace AksEgress.Catalog;

/// <summary>An Azure cloud, named as Az PowerShell names its environments.</summary>
public enum AksCloud
{
    AzureCloud,
    AzureChinaCloud,
    AzureUSGovernment,
}
