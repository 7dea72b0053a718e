using System.Management.Automation;

namespace AksEgress.PowerShell;

/// <summary>Takes a Kubernetes version as kubectl and the AKS API write it ("v1.30.2", "1.30.2-hotfix.1") as well as "1.30".</summary>
public sealed class KubernetesVersionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is not string text)
        {
            return value;
        }

        var core = text.Trim().TrimStart('v', 'V').Split('-', '+')[0];
        return Version.TryParse(core, out var version)
            ? version
            : throw new ArgumentTransformationMetadataException($"'{text}' is not a Kubernetes version: write it as 1.30, 1.30.2 or v1.30.2.");
    }
}
