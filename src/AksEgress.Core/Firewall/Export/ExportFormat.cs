namespace AksEgress.Firewall.Export;

/// <summary>The infrastructure-as-code formats a rule collection group can be exported to.</summary>
public enum ExportFormat
{
    ArmTemplate,
    Bicep,
    Terraform,
}
