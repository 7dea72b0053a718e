BeforeAll { . $PSScriptRoot/Common.ps1 }

# Every ```powershell block of the README runs as written, from the repository root, after the import it shows.
$blocks = [regex]::Matches((Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw), '(?s)```powershell\r?\n(.*?)```') |
    ForEach-Object { @{ Code = $_.Groups[1].Value.Trim() } }

# Blocks that read or write Azure run against the ARM emulator (reset before each), as the help examples do.
Describe 'README example' {
    It 'runs: <Code>' -ForEach $blocks -Skip:(-not $env:AKSEGRESS_TEST_ARM -and $Code -match 'New-AksFirewallPolicy|-ResourceGroupName') {
        Push-Location $RepoRoot
        try {
            if ($ArmUrl) { Use-ArmEmulator; Reset-ArmEmulator }
            $code = $Code -replace '(?m)^Import-Module \./out/AksEgress/AksEgress\.psd1\s*$', ''
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($code)) 3>$null
            $output | Should -Not -BeNullOrEmpty
        }
        finally { Pop-Location }
    }
}
