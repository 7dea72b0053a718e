using System.Management.Automation;

namespace AksEgress.PowerShell;

/// <summary>A subscription id is a GUID; anything else is refused at bind time, saying so.</summary>
public sealed class ValidateSubscriptionIdAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is not string text || !Guid.TryParseExact(text, "D", out _))
        {
            throw new ValidationMetadataException($"'{arguments}' is not a subscription id: a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.");
        }
    }
}
