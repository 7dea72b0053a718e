BeforeAll { . $PSScriptRoot/Common.ps1 }

# Every ```powershell block of the README runs as written, from the repository root, after the import it shows.
$blocks = [regex]::Matches((Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw), '(?s)```powershell\r?\n(.*?)```') |
    ForEach-Object { @{ Code = $_.Groups[1].Value.Trim() } }

Describe 'README example' {
    It 'runs: <Code>' -ForEach $blocks {
        Push-Location $RepoRoot
        try {
            $code = $Code -replace '(?m)^Import-Module \./out/AksEgress/AksEgress\.psd1\s*$', ''
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($code)) 3>$null
            $output | Should -Not -BeNullOrEmpty
        }
        finally { Pop-Location }
    }
}
