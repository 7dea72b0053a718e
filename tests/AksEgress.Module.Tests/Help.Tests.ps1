BeforeAll { . $PSScriptRoot/Common.ps1 }

# Every exported cmdlet has complete help, and every example in it runs.
$commands = foreach ($name in (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../AksEgress.psd1')).CmdletsToExport) { @{ Name = $name } }

Describe 'Help of <Name>' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeLike "*$Name*[<CommonParameters>]*"
        $help.description.Text | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($p in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            ($help.parameters.parameter | Where-Object name -eq $p).description.Text | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }

    # The compiled help says what the cmdlet is: checked against the cmdlet's own metadata, parameter by parameter.
    It 'states each parameter''s type, values, requirement, pipeline input, wildcards and aliases as the cmdlet declares them' {
        $command = Get-Command $Name
        foreach ($p in $command.Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters }) {
            $h = $help.parameters.parameter | Where-Object name -eq $p.Name
            $h | Should -Not -BeNullOrEmpty -Because "-$($p.Name) is a parameter"
            $type = if ([Nullable]::GetUnderlyingType($p.ParameterType)) { [Nullable]::GetUnderlyingType($p.ParameterType) } else { $p.ParameterType }
            if ($type -ne [System.Management.Automation.SwitchParameter]) { $h.type.name | Should -Be $type.FullName -Because "-$($p.Name)" }
            $h.type.name | Should -Not -BeLike '*Nullable*'
            $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
            if ($element.IsEnum) { @($h.parameterValueGroup.parameterValue) | Should -Be ([Enum]::GetNames($element)) -Because "-$($p.Name) lists its values" }
            $h.required | Should -Be ("$(@($p.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0)".ToLowerInvariant()) -Because "-$($p.Name)"
            $byValue = @($p.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
            $byName = @($p.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            $h.pipelineInput | Should -Be $(if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }) -Because "-$($p.Name)"
            $h.globbing | Should -Be ("$(@($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0)".ToLowerInvariant()) -Because "-$($p.Name)"
            $h.aliases | Should -Be $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }) -Because "-$($p.Name)"
        }
        @($help.syntax.syntaxItem).Count | Should -Be $command.ParameterSets.Count
        $shouldProcess = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].SupportsShouldProcess
        ($help.parameters.parameter.name -contains 'WhatIf') | Should -Be $shouldProcess
        ($help.parameters.parameter.name -contains 'Confirm') | Should -Be $shouldProcess
    }

    It 'has at least two examples' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    # The examples of the Azure cmdlets run against the ARM emulator, reset before each one.
    It 'runs every example without error' -Skip:($Name -in 'New-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Get-AksEgressRequirement' -and -not $env:AKSEGRESS_TEST_ARM) {
        # The examples read ./docs/examples and may write files: they run in a scratch copy.
        Copy-Item (Join-Path $RepoRoot 'docs') -Destination $TestDrive -Recurse -Force
        Push-Location $TestDrive
        try {
            if ($ArmUrl) { Use-ArmEmulator }
            foreach ($example in $help.examples.example) {
                if ($ArmUrl) { Reset-ArmEmulator }
                $ErrorActionPreference = 'Stop'
                $null = & ([scriptblock]::Create($example.code)) 3>$null
            }
        }
        finally { Pop-Location }
    }
}

Describe 'Help of New-AksFirewallPolicy' {
    It 'states the defaults the cmdlet sets: priority 500, group aks-egress' {
        $help = Get-Help New-AksFirewallPolicy -Full
        ($help.parameters.parameter | Where-Object name -eq 'Priority').defaultValue | Should -Be '500'
        ($help.parameters.parameter | Where-Object name -eq 'RuleCollectionGroupName').defaultValue | Should -Be 'aks-egress'
    }
}
