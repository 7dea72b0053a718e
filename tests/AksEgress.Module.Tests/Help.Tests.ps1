BeforeAll { . $PSScriptRoot/Common.ps1 }

# Every exported cmdlet has complete help, and every example in it runs.
$commands = foreach ($name in (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../AksEgress.psd1')).CmdletsToExport) { @{ Name = $name } }

Describe 'Help of <Name>' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
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
