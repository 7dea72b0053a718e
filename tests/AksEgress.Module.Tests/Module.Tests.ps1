BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'The AksEgress module as built' {
    It 'has a manifest that passes Test-ModuleManifest with version, tags and PowerShellVersion' {
        $manifest = Test-ModuleManifest -Path $ModulePath
        $manifest.Version | Should -Not -BeNullOrEmpty
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.Tags | Should -Contain 'AKS'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        (Get-Command -Module AksEgress).Name | Sort-Object | Should -Be @('Export-AksFirewallPolicy', 'Get-AksEgressCatalog', 'Get-AksEgressRequirement', 'New-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy')
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        (Get-Command -Module AksEgress).Verb | ForEach-Object { $_ | Should -BeIn $approved }
    }

    It 'declares the output type of <_>' -ForEach @('Get-AksEgressRequirement', 'Get-AksEgressCatalog', 'New-AksFirewallPolicy', 'Export-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy') {
        (Get-Command $_).OutputType | Should -Not -BeNullOrEmpty
    }

    It 'ships nothing but the allow-listed files' {
        $files = Get-ChildItem (Split-Path $ModulePath) -Recurse -File | ForEach-Object { $_.FullName.Substring((Split-Path $ModulePath).Length + 1).Replace('\', '/') }
        # The root holds the cmdlets, the initializer and the loader. Dependencies/ holds the engine and its netstandard2.0
        # closure (for .NET), NetFramework/ the engine and the same libraries as .NET Framework resolves them, and the list
        # of SHA-256 hashes that the import checks.
        $libraries = @('YamlDotNet', 'Azure.Core', 'Azure.ResourceManager', 'System.ClientModel', 'System.Memory.Data', 'Microsoft.Identity.Client',
            'Microsoft.Identity.Client.Extensions.Msal', 'Microsoft.IdentityModel.Abstractions', 'Microsoft.Extensions.Configuration.Abstractions',
            'Microsoft.Extensions.DependencyInjection.Abstractions', 'Microsoft.Extensions.Diagnostics.Abstractions',
            'Microsoft.Extensions.FileProviders.Abstractions', 'Microsoft.Extensions.Hosting.Abstractions', 'Microsoft.Extensions.Logging.Abstractions',
            'Microsoft.Extensions.Options', 'Microsoft.Extensions.Primitives', 'Microsoft.Bcl.AsyncInterfaces', 'System.Text.Json',
            'System.Text.Encodings.Web', 'System.IO.Pipelines', 'System.Memory', 'System.Buffers', 'System.Numerics.Vectors',
            'System.Runtime.CompilerServices.Unsafe', 'System.Threading.Tasks.Extensions', 'System.Diagnostics.DiagnosticSource',
            'System.Formats.Asn1', 'System.Net.ServerSentEvents', 'System.IO.FileSystem.AccessControl', 'System.Security.AccessControl',
            'System.Security.Cryptography.ProtectedData', 'System.Security.Principal.Windows')
        $expected = @('AksEgress.psd1', 'AksEgress.Format.ps1xml', 'en-US/AksEgress.dll-Help.xml', 'AksEgress.dll', 'AksEgress.Init.dll', 'AksEgress.Loader.dll',
            'Dependencies/AksEgress.Dependencies.txt') +
            @(@('AksEgress.Core', 'AksEgress.Azure', 'System.ComponentModel.Annotations', 'System.Security.Cryptography.Cng') + $libraries | ForEach-Object { "Dependencies/$_.dll" }) +
            @(@('AksEgress.Core', 'AksEgress.Azure', 'System.ValueTuple') + $libraries | ForEach-Object { "Dependencies/NetFramework/$_.dll" })
        $files | Sort-Object | Should -Be ($expected | Sort-Object)
    }

    It 'fails the import, naming the file and the fix, when a dependency is <Case>' -ForEach @(
        @{ Case = 'damaged'; File = 'YamlDotNet.dll'; Break = { param($f) [IO.File]::WriteAllBytes($f, [IO.File]::ReadAllBytes($f)[0..4095]) } }
        @{ Case = 'missing'; File = 'Azure.Core.dll'; Break = { param($f) Remove-Item $f } }
    ) {
        $copy = Join-Path $TestDrive "$Case/AksEgress"
        $null = New-Item -ItemType Directory -Path (Split-Path $copy) -Force
        Copy-Item (Split-Path $ModulePath) (Split-Path $copy) -Recurse
        & $Break (Join-Path $copy "Dependencies/$File")
        $output = Invoke-FreshPwsh "try { Import-Module '$copy/AksEgress.psd1' -ErrorAction Stop; 'imported' } catch { `$_.Exception.Message }" 2>&1
        $text = $output -join "`n"
        $text | Should -Not -Match '^imported$'
        $text | Should -BeLike "*$File is $Case*"
        $text | Should -BeLike '*Reinstall the module*'
    }

    It 'shows rules as a compact table: Category, Feature, Protocol, Port, Destination' {
        $text = Get-AksEgressRequirement -Location westeurope | Format-Table | Out-String -Width 200
        $header = ($text -split "`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1) -split '\s+' | Where-Object { $_ }
        $header | Should -Be @('Category', 'Feature', 'Protocol', 'Port', 'Destination')
    }

    It 'shows every property with Format-List *' {
        $text = Get-AksEgressRequirement -Location westeurope | Select-Object -First 1 | Format-List * | Out-String
        foreach ($p in 'Id', 'Cloud', 'Category', 'Feature', 'Kind', 'Protocol', 'Port', 'Destination', 'DestinationType', 'Required', 'Condition', 'Note', 'Source') {
            $text | Should -Match "(?m)^$p\s+:"
        }
    }
}

Describe 'The ErrorIds' {
    It 'are the registry''s, each in the README''s table with its category' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $table = [regex]::Matches($readme, '(?m)^\| `(?<id>[A-Za-z]+)` \| (?<category>[A-Za-z]+) \|') | ForEach-Object { "$($_.Groups['id'].Value) $($_.Groups['category'].Value)" }
        $registry = [AksEgress.PowerShell.ModuleErrors]::All | ForEach-Object { "$($_.Id) $($_.Category)" }
        $table | Sort-Object | Should -Be ($registry | Sort-Object)
    }

    It 'are raised only from the registry: every ErrorId string in the cmdlets and the engine is in it' {
        $ids = [AksEgress.PowerShell.ModuleErrors]::All.Id
        $sources = Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -Filter *.cs | Where-Object FullName -notmatch '[\\/](obj|bin)[\\/]'
        $used = $sources | Select-String -Pattern '(?:ModuleErrors\.Record\([^;]*?|Exception\()"(?<id>[A-Z][A-Za-z]+)"' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups['id'].Value } | Sort-Object -Unique
        $used | Should -Not -BeNullOrEmpty
        $used | Where-Object { $_ -notin $ids } | Should -BeNullOrEmpty
    }
}

# A parameter that several cmdlets take means the same everywhere: same type, aliases, validation and completion.
Describe 'Parameters shared across cmdlets' {
    BeforeDiscovery {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $byName = @{}
        foreach ($command in Get-Command -Module AksEgress -CommandType Cmdlet) {
            foreach ($p in $command.Parameters.Values | Where-Object Name -notin $common) { $byName[$p.Name] += @(@{ Command = $command.Name; Parameter = $p }) }
        }
        $script:Shared = foreach ($name in $byName.Keys | Sort-Object) { if ($byName[$name].Count -gt 1) { @{ Name = $name; Uses = $byName[$name] } } }
    }

    It '-<Name> is the same in <Uses.Count> cmdlets' -ForEach $Shared {
        function Shape($p) {
            $validation = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateArgumentsAttribute] -or $_ -is [System.Management.Automation.ArgumentTransformationAttribute] } |
                ForEach-Object { $_.GetType().Name + $(if ($_ -is [System.Management.Automation.ValidateRangeAttribute]) { "$($_.MinRange)-$($_.MaxRange)" } elseif ($_ -is [System.Management.Automation.ValidateSetAttribute]) { $_.ValidValues -join ',' }) } | Sort-Object
            $completer = ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Type.Name
            "$($p.ParameterType) aliases=$($p.Aliases -join ',') validation=$($validation -join ',') completer=$completer"
        }
        $shapes = $Uses | ForEach-Object { "$(Shape $_.Parameter)" } | Sort-Object -Unique
        # -Name and -Path name different things in different cmdlets (a policy, a manifest); -Location is a list or one region to create in.
        if ($Name -notin 'Name', 'Path', 'Location') {
            @($shapes).Count | Should -Be 1 -Because (($Uses | ForEach-Object { "$($_.Command): $(Shape $_.Parameter)" }) -join '; ')
        }
    }
}
