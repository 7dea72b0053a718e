# Dot-sourced by every test file: imports the *built* module exactly as a user does.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:AKSEGRESS_MODULE) { $env:AKSEGRESS_MODULE } else { Join-Path $RepoRoot 'out/AksEgress/AksEgress.psd1' }
Import-Module $ModulePath -Force -ErrorAction Stop
