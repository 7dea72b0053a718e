namespace AksEgress.Catalog;

/// <summary>The two documented ways to reach Azure Monitor: FQDN application rules, or the AzureMonitor service tag.</summary>
public enum MonitorAccess
{
    Fqdn,
    ServiceTag,
}
