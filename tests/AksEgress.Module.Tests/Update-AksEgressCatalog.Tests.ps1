BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Revisions = Join-Path $RepoRoot 'tests/data/egress-document'
    $script:Latest = Join-Path $Revisions '2026-06-18.1bdcfff99.md'

    # The revision of 2026-06-18 as a later one might read: packages.aks.azure.com (Azure Global, line 76) replaced.
    function New-EditedRevision([string] $Path) {
        (Get-Content -Raw $Latest).Replace('| **`packages.aks.azure.com`**     | **`HTTPS:443`** |', '| **`packages.example.net`**     | **`HTTPS:443`** |') |
            Set-Content -Path $Path -NoNewline
    }
}

# Every test has a per-user catalog of its own (AKSEGRESS_USER_CATALOG), never this machine's.
Describe 'Update-AksEgressCatalog' {
    BeforeEach {
        $script:SavedUserCatalog = $env:AKSEGRESS_USER_CATALOG
        $env:AKSEGRESS_USER_CATALOG = Join-Path $TestDrive "user-$([guid]::NewGuid().ToString('N'))/aks-egress-catalog.yaml"
    }

    AfterEach { $env:AKSEGRESS_USER_CATALOG = $SavedUserCatalog }

    It 'finds the latest revision of the document and the embedded catalog in agreement, and writes nothing' {
        @(Update-AksEgressCatalog -Path $Latest) | Should -HaveCount 0
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeFalse
    }

    It 'says what a revision changes, writes it to the per-user catalog, and every cmdlet then uses it' {
        New-EditedRevision "$TestDrive/edited.md"
        $differences = Update-AksEgressCatalog -Path "$TestDrive/edited.md"

        $differences | ForEach-Object { "$($_.Change) $($_.Cloud) $($_.Destination) $($_.Line) $($_.RuleId)" } |
            Should -Be @('Added AzureCloud packages.example.net 76 ', 'Removed AzureCloud packages.aks.azure.com  pub.core.packages-aks')
        ($differences[0] | ConvertTo-Json -Compress) | Should -Match '"Cloud":"AzureCloud"'
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeTrue

        $out = Get-AksEgressRequirement -Location westeurope -Verbose 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Where-Object { $_ -like "Using the per-user catalog $env:AKSEGRESS_USER_CATALOG*newer than the embedded*" } | Should -HaveCount 1
        $rules = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $rules.Destination | Should -Contain 'packages.example.net'
        $rules.Destination | Should -Not -Contain 'packages.aks.azure.com'
        ($rules | Where-Object Destination -eq 'packages.example.net').Source | Should -BeLike 'Outbound network and FQDN rules for AKS clusters (2026-06-18)*Azure Global required FQDN*'
        # The rules as they stood before the revision's date are unchanged.
        (Get-AksEgressRequirement -Location westeurope -AsOf 2026-06-17).Destination | Should -Contain 'packages.aks.azure.com'
        (Get-AksEgressCatalog).Origin | Should -Be $env:AKSEGRESS_USER_CATALOG
        # Reading the same revision again finds nothing more to do.
        @(Update-AksEgressCatalog -Path "$TestDrive/edited.md") | Should -HaveCount 0
    }

    It 'writes nothing with -WhatIf, and updates a -CatalogPath file in place' {
        New-EditedRevision "$TestDrive/edited.md"
        @(Update-AksEgressCatalog -Path "$TestDrive/edited.md" -WhatIf) | Should -HaveCount 2
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeFalse

        # A new file gets the catalog in use; the edited revision then updates it in place.
        Update-AksEgressCatalog -Path $Latest -CatalogPath "$TestDrive/team.yaml"
        (Get-AksEgressCatalog -CatalogPath "$TestDrive/team.yaml").Version | Should -Be (Get-AksEgressCatalog).Version
        $null = Update-AksEgressCatalog -Path "$TestDrive/edited.md" -CatalogPath "$TestDrive/team.yaml"
        (Get-AksEgressRequirement -Location westeurope -CatalogPath "$TestDrive/team.yaml").Destination | Should -Contain 'packages.example.net'
        (Get-AksEgressCatalog -CatalogPath "$TestDrive/team.yaml").Amendments.Id | Should -Contain 'DOC-2026-06-18'
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeFalse
    }

    It 'stops at a row it cannot read, naming its line, and writes nothing unless -Force' {
        (Get-Content -Raw $Latest).Replace('| **`nvidia.github.io`**                  | **`HTTPS:443`** |', '| **`nvidia.github.io`**                  | **`HTTPS:4430000`** |').
            Replace('| **`packages.aks.azure.com`**     | **`HTTPS:443`** |', '| **`packages.example.net`**     | **`HTTPS:443`** |') | Set-Content "$TestDrive/bad-row.md" -NoNewline
        $err = { Update-AksEgressCatalog -Path "$TestDrive/bad-row.md" -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'DocumentNotFullyRead,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeFalse

        $warnings = $null
        $differences = Update-AksEgressCatalog -Path "$TestDrive/bad-row.md" -Force -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike "*bad-row.md:146: An application rule of 'GPU enabled AKS clusters required FQDN / application rules' with port 'HTTPS:4430000'*"
        $differences.Destination | Should -Contain 'packages.example.net'
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeTrue
    }

    It 'names the line of each row it cannot read' {
        (Get-Content -Raw $Latest).Replace('| **`nvidia.github.io`**                  | **`HTTPS:443`** |', '| **`nvidia.github.io`**                  | **`HTTPS:4430000`** |') |
            Set-Content "$TestDrive/bad-row.md" -NoNewline
        try { Update-AksEgressCatalog -Path "$TestDrive/bad-row.md" -ErrorVariable errors -ErrorAction SilentlyContinue } catch { $null = $_ }
        $row = $errors | Where-Object { $_.FullyQualifiedErrorId -like 'DocumentRowUnreadable,*' }
        $row.TargetObject | Should -Be "$TestDrive/bad-row.md:146"
        $row.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'refuses what is not the document, saying what it is, and leaves the catalog in use as it was' -ForEach @(
        @{ Name = 'empty.md'; Text = ''; Said = '*is empty*' }
        @{ Name = 'page.html'; Text = '<!DOCTYPE html><html><body><h1>Outbound network and FQDN rules</h1></body></html>'; Said = '*HTML page*raw.githubusercontent.com*' }
        @{ Name = 'other.md'; Text = "# Use a private cluster`n`n| a | b |`n|---|---|`n| 1 | 2 |`n"; Said = '*has no heading*' }
    ) {
        Update-AksEgressCatalog -Path $Latest -CatalogPath "$TestDrive/keep.yaml"
        $before = (Get-FileHash "$TestDrive/keep.yaml").Hash
        Set-Content "$TestDrive/$Name" $Text -NoNewline
        $err = { Update-AksEgressCatalog -Path "$TestDrive/$Name" -CatalogPath "$TestDrive/keep.yaml" } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NotAnEgressDocument,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
        $err.Exception.Message | Should -BeLike $Said
        (Get-FileHash "$TestDrive/keep.yaml").Hash | Should -Be $before
        { Update-AksEgressCatalog -Path "$TestDrive/none.md" } | Should -Throw -ErrorId 'DocumentNotFound,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
    }

    It 'refuses an address that is not http(s) as an invalid argument, before any request' {
        $err = { Update-AksEgressCatalog -Uri 'ftp://example.com/outbound-rules-control-egress.md' -CatalogPath "$TestDrive/keep.yaml" } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDocumentUri,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*ftp://example.com/*not an http(s) address*-Path*'
    }

    It 'does not use a per-user catalog that is damaged, and says why' {
        New-Item -ItemType Directory -Force (Split-Path $env:AKSEGRESS_USER_CATALOG) | Out-Null
        Set-Content $env:AKSEGRESS_USER_CATALOG 'schemaVersion: 1'
        $rules = Get-AksEgressRequirement -Location westeurope -WarningVariable warnings -WarningAction SilentlyContinue
        $rules.Destination | Should -Contain 'mcr.microsoft.com'
        "$warnings" | Should -BeLike "*per-user catalog $env:AKSEGRESS_USER_CATALOG is not used*Update-AksEgressCatalog*"
    }
}

# -Uri over HTTPS, served by the test emulator (Azure is not reachable here, GitHub neither).
Describe 'Update-AksEgressCatalog -Uri' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeEach {
        $script:SavedUserCatalog = $env:AKSEGRESS_USER_CATALOG
        $env:AKSEGRESS_USER_CATALOG = Join-Path $TestDrive "user-$([guid]::NewGuid().ToString('N'))/aks-egress-catalog.yaml"
    }

    AfterEach { $env:AKSEGRESS_USER_CATALOG = $SavedUserCatalog }

    It 'reads the document from a URL' {
        New-EditedRevision "$TestDrive/edited.md"
        Invoke-RestMethod -Method Put -Uri "$($ArmUrl)_emulator/files/edited.md" -ContentType 'text/plain' -InFile "$TestDrive/edited.md" | Out-Null
        $differences = Update-AksEgressCatalog -Uri "$($ArmUrl)_emulator/files/edited.md" -WhatIf
        $differences.Destination | Should -Be @('packages.example.net', 'packages.aks.azure.com')
    }

    It 'names the URL when there is no document there, and what to use instead' {
        $err = { Update-AksEgressCatalog -Uri "$($ArmUrl)_emulator/files/gone.md" } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'DocumentNotFound,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
        $err.Exception.Message | Should -BeLike "*_emulator/files/gone.md answered 404*raw.githubusercontent.com/MicrosoftDocs/azure-aks-docs*"
        $err = { Update-AksEgressCatalog -Uri 'https://127.0.0.1:1/outbound-rules-control-egress.md' -TimeoutSec 5 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'DocumentUnreachable,AksEgress.PowerShell.UpdateAksEgressCatalogCommand'
        $err.Exception.Message | Should -BeLike '*https://127.0.0.1:1/outbound-rules-control-egress.md could not be read*-Proxy*-Path*'
        Test-Path $env:AKSEGRESS_USER_CATALOG | Should -BeFalse
    }
}
