#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, benchmarks and demonstrates the AksEgress module.
.DESCRIPTION
    Build  publishes the cmdlet assembly, copies an explicit allow-list of files into out/AksEgress (a missing
           file fails the build), compiles docs/help/*.md into MAML help and validates the manifest.
    Test   builds, runs every xunit project of Module.sln and every Pester file under tests/AksEgress.Module.Tests
           against the built module, and ends with one line "N passed, N failed" for all of them.
    Demo   builds and shows, offline, the egress rules of example clusters.
    Bench  runs the BenchmarkDotNet project (not part of Test).
    Package builds out/package/AksEgress.zip for Azure Automation (zip, folder and manifest names agree; under 100 MB;
           every path under 140 characters) and the .nupkg that Publish-PSResource makes, for a PowerShell repository.
    Help   compiles the help (run by Build in a fresh pwsh, so it reads the freshly built cmdlets).
    UpdateCatalog  regenerates the embedded catalog (src/AksEgress.Core/Catalog/aks-egress-catalog.yaml) from Microsoft's
           egress document, as Update-AksEgressCatalog does: the latest revision on GitHub, or -DocumentPath. Review
           the diff, bump catalogVersion, and commit: a release of the rules is this command and a reviewed diff.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Help', 'UpdateCatalog')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: which benchmarks (BenchmarkDotNet's --filter), e.g. '*RuntimeImport*'.
    [string] $BenchmarkFilter = '*',

    # UpdateCatalog only: a local copy of the document's markdown, instead of the latest revision on GitHub.
    [string] $DocumentPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'AksEgress'
$ModuleManifest = Join-Path $ModuleDir 'AksEgress.psd1'
$PesterVersion = '5.7.1'
$BicepVersion = '0.49.2'

function Invoke-Native([string] $Exe, [string[]] $Arguments) {
    & $Exe @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Exe $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# A fresh pwsh of the same version as this one, whether it runs as 'dotnet pwsh' (the .NET tool) or installed.
function Invoke-ChildPwsh([string[]] $Arguments) {
    $host_ = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    & $host_ @prefix -NoProfile -NonInteractive @Arguments | Out-Host
    return $LASTEXITCODE
}

function Invoke-Build {
    $version = (Import-PowerShellDataFile (Join-Path $Root 'AksEgress.psd1')).ModuleVersion
    $publish = Join-Path $Out 'publish'
    Write-Host "Building AksEgress $version ($Configuration)"
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/AksEgress.PowerShell/AksEgress.PowerShell.csproj'),
        '-c', $Configuration, '-o', $publish, "-p:Version=$version", '--nologo', '-v', 'quiet')

    foreach ($project in 'AksEgress.Loader', 'AksEgress.Init') {
        Invoke-Native dotnet @('publish', (Join-Path $Root "src/$project/$project.csproj"), '-c', $Configuration, '-o', $publish, "-p:Version=$version", '--nologo', '-v', 'quiet')
    }
    $publishNetFx = Join-Path $Out 'publish-netfx'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/AksEgress.NetFramework/AksEgress.NetFramework.csproj'), '-c', $Configuration, '-o', $publishNetFx, "-p:Version=$version", '--nologo', '-v', 'quiet')

    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'en-US'), (Join-Path $ModuleDir 'Dependencies')
    # The allow-list of what ships. Copy-Item fails on a missing file, and so does the build. Dependencies/ holds the
    # engine and its netstandard2.0 closure, for .NET (PowerShell 7.4 and later): everything .NET 8 lacks or has only in an
    # older version. Dependencies/NetFramework/ holds the engine and the same libraries as .NET Framework 4.7.2 (Windows
    # PowerShell 5.1) resolves them: each package's .NET Framework build and the facades those need. Which copy wins
    # where is the resolver's choice (src/AksEgress.Init/DependencyResolver.cs); the Test task proves both closures complete.
    $engine = @('AksEgress.Core', 'AksEgress.Azure')
    $common = @(
        'YamlDotNet', 'Azure.Core', 'Azure.ResourceManager', 'System.ClientModel', 'System.Memory.Data', 'Microsoft.Identity.Client',
        'Microsoft.Identity.Client.Extensions.Msal', 'Microsoft.IdentityModel.Abstractions', 'Microsoft.Extensions.Configuration.Abstractions',
        'Microsoft.Extensions.DependencyInjection.Abstractions', 'Microsoft.Extensions.Diagnostics.Abstractions',
        'Microsoft.Extensions.FileProviders.Abstractions', 'Microsoft.Extensions.Hosting.Abstractions', 'Microsoft.Extensions.Logging.Abstractions',
        'Microsoft.Extensions.Options', 'Microsoft.Extensions.Primitives', 'Microsoft.Bcl.AsyncInterfaces', 'System.Text.Json',
        'System.Text.Encodings.Web', 'System.IO.Pipelines', 'System.Memory', 'System.Buffers', 'System.Numerics.Vectors',
        'System.Runtime.CompilerServices.Unsafe', 'System.Threading.Tasks.Extensions', 'System.Diagnostics.DiagnosticSource',
        'System.Formats.Asn1', 'System.Net.ServerSentEvents', 'System.IO.FileSystem.AccessControl', 'System.Security.AccessControl',
        'System.Security.Cryptography.ProtectedData', 'System.Security.Principal.Windows'
    )
    $dependencies = $engine + $common + @('System.ComponentModel.Annotations', 'System.Security.Cryptography.Cng')
    $netFrameworkDependencies = $engine + $common + @('System.ValueTuple')
    # The manifest, with the binaries' paths as they are inside the module folder.
    $manifest = (Get-Content (Join-Path $Root 'AksEgress.psd1') -Raw) -replace "'out/AksEgress/AksEgress", "'AksEgress"
    Set-Content -Path (Join-Path $ModuleDir 'AksEgress.psd1') -Value $manifest -NoNewline -Encoding utf8BOM
    $files = @(
        (Join-Path $Root 'AksEgress.Format.ps1xml'),
        (Join-Path $publish 'AksEgress.dll'),
        (Join-Path $publish 'AksEgress.Init.dll'),
        (Join-Path $publish 'AksEgress.Loader.dll')
    )
    foreach ($file in $files) { Copy-Item -LiteralPath $file -Destination $ModuleDir }
    $dependencyDir = Join-Path $ModuleDir 'Dependencies'
    $null = New-Item -ItemType Directory -Path (Join-Path $dependencyDir 'NetFramework')
    $shipped = @($dependencies | ForEach-Object { Copy-Item -LiteralPath (Join-Path $publish "$_.dll") -Destination $dependencyDir -PassThru }) +
        @($netFrameworkDependencies | ForEach-Object { Copy-Item -LiteralPath (Join-Path $publishNetFx "$_.dll") -Destination (Join-Path $dependencyDir 'NetFramework') -PassThru })
    # What the initializer checks at import: a missing or damaged file is named there, not at the first cmdlet call.
    $list = foreach ($file in $shipped) { "$($file.FullName.Substring($dependencyDir.Length + 1).Replace('\', '/')) $((Get-FileHash -Algorithm SHA256 $file.FullName).Hash)" }
    Set-Content -Path (Join-Path $dependencyDir 'AksEgress.Dependencies.txt') -Value $list -Encoding ascii

    if ((Invoke-ChildPwsh @('-File', $PSCommandPath, '-Task', 'Help')) -ne 0) { throw 'Compiling the help failed.' }
    $null = Test-ModuleManifest -Path $ModuleManifest
    Write-Host "Built $ModuleManifest"
}

# ---------------------------------------------------------------- help: docs/help/*.md -> en-US/AksEgress.dll-Help.xml
function Get-MarkdownSections([string] $Text, [string] $Level) {
    $sections = [ordered]@{}
    $pattern = "(?m)^$Level (.+)$"
    $matches_ = [regex]::Matches($Text, $pattern)
    for ($i = 0; $i -lt $matches_.Count; $i++) {
        $start = $matches_[$i].Index + $matches_[$i].Length
        $end = if ($i + 1 -lt $matches_.Count) { $matches_[$i + 1].Index } else { $Text.Length }
        $sections[$matches_[$i].Groups[1].Value.Trim()] = $Text.Substring($start, $end - $start).Trim()
    }
    $sections
}

function ConvertTo-MamlParagraphs([System.Xml.XmlWriter] $W, [string] $Text) {
    foreach ($para in ($Text -split '(\r?\n){2,}' | Where-Object { $_.Trim() })) {
        $W.WriteElementString('maml', 'para', 'http://schemas.microsoft.com/maml/2004/10', (($para -split '\r?\n') -join ' ').Trim())
    }
}

function Invoke-HelpCompile {
    Import-Module $ModuleManifest -Force
    $ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
    # -WhatIf and -Confirm are documented with the cmdlet's own parameters; Get-Help adds [<CommonParameters>] itself.
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $target = Join-Path $ModuleDir 'en-US/AksEgress.dll-Help.xml'
    $w = [System.Xml.XmlWriter]::Create($target, $settings)
    $w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
    foreach ($command in Get-Command -Module AksEgress -CommandType Cmdlet | Sort-Object Name) {
        $doc = Join-Path $Root "docs/help/$($command.Name).md"
        if (-not (Test-Path $doc)) { throw "Cmdlet $($command.Name) has no help: $doc is missing." }
        $top = Get-MarkdownSections (Get-Content $doc -Raw) '##'
        foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS') {
            if (-not $top.Contains($required)) { throw "$doc has no '## $required' section." }
        }
        $paramDocs = Get-MarkdownSections $top['PARAMETERS'] '###'
        $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
        # -WhatIf and -Confirm mean the same everywhere: PowerShell's own words, unless the page says more.
        if (-not $paramDocs.Contains('-WhatIf')) { $paramDocs['-WhatIf'] = 'Shows what would happen if the cmdlet runs: for this module, the exact plan. The cmdlet is not run.' }
        if (-not $paramDocs.Contains('-Confirm')) { $paramDocs['-Confirm'] = 'Prompts you for confirmation before running the cmdlet.' }
        foreach ($p in $parameters) { if (-not $paramDocs.Contains("-$($p.Name)")) { throw "$doc does not describe parameter -$($p.Name)." } }
        foreach ($name in $paramDocs.Keys) { if ($name.TrimStart('-') -notin $parameters.Name -and $name -notin '-WhatIf', '-Confirm') { throw "$doc describes $name, which $($command.Name) does not have." } }

        $w.WriteStartElement('command', 'command', $ns.command)
        $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml); $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
        $w.WriteStartElement('command', 'details', $ns.command)
        $w.WriteElementString('command', 'name', $ns.command, $command.Name)
        $w.WriteElementString('command', 'verb', $ns.command, $command.Verb)
        $w.WriteElementString('command', 'noun', $ns.command, $command.Noun)
        $w.WriteStartElement('maml', 'description', $ns.maml); ConvertTo-MamlParagraphs $w $top['SYNOPSIS']; $w.WriteEndElement()
        $w.WriteEndElement()
        $w.WriteStartElement('maml', 'description', $ns.maml); ConvertTo-MamlParagraphs $w $top['DESCRIPTION']; $w.WriteEndElement()

        $w.WriteStartElement('command', 'syntax', $ns.command)
        # Defaults as the cmdlet sets them: read from a new instance (the dynamic ARM parameters have none).
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        foreach ($set in $command.ParameterSets) {
            $w.WriteStartElement('command', 'syntaxItem', $ns.command)
            $w.WriteElementString('maml', 'name', $ns.maml, $command.Name)
            foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
                Write-MamlParameter $w $ns $command.Parameters[$p.Name] $p.IsMandatory $p.Position $null $null
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $parameters) {
            $sets = $p.ParameterSets.Values
            $mandatory = @($sets | Where-Object IsMandatory).Count -gt 0
            $positioned = @($sets | Where-Object { $_.Position -ge 0 })
            $default = if ($instance.PSObject.Properties[$p.Name] -and $p.ParameterType -ne [System.Management.Automation.SwitchParameter]) { $instance.($p.Name) }
            Write-MamlParameter $w $ns $p $mandatory $(if ($positioned) { $positioned[0].Position } else { -1 }) $paramDocs["-$($p.Name)"] $default
        }
        $w.WriteEndElement()

        foreach ($kind in @(@('INPUTS', 'inputTypes', 'inputType'), @('OUTPUTS', 'returnValues', 'returnValue'))) {
            $w.WriteStartElement('command', $kind[1], $ns.command)
            foreach ($entry in (Get-MarkdownSections $top[$kind[0]] '###').GetEnumerator()) {
                $w.WriteStartElement('command', $kind[2], $ns.command)
                $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $entry.Key); $w.WriteEndElement()
                $w.WriteStartElement('maml', 'description', $ns.maml); ConvertTo-MamlParagraphs $w $entry.Value; $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }

        if ($top.Contains('NOTES')) {
            $w.WriteStartElement('maml', 'alertSet', $ns.maml); $w.WriteStartElement('maml', 'alert', $ns.maml)
            ConvertTo-MamlParagraphs $w $top['NOTES']
            $w.WriteEndElement(); $w.WriteEndElement()
        }

        $w.WriteStartElement('command', 'examples', $ns.command)
        foreach ($example in (Get-MarkdownSections $top['EXAMPLES'] '###').GetEnumerator()) {
            $m = [regex]::Match($example.Value, '(?s)```powershell\r?\n(.*?)\r?\n```(.*)')
            if (-not $m.Success) { throw "$doc, $($example.Key): an example needs a powershell code block." }
            $w.WriteStartElement('command', 'example', $ns.command)
            $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Key) --------------------------")
            $w.WriteElementString('dev', 'code', $ns.dev, $m.Groups[1].Value)
            $w.WriteStartElement('dev', 'remarks', $ns.dev); ConvertTo-MamlParagraphs $w $m.Groups[2].Value.Trim(); $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $ns.command)
        foreach ($link in [regex]::Matches($top['RELATED LINKS'] ?? '', '(?m)^- (.+)$')) {
            $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
            $w.WriteElementString('maml', 'linkText', $ns.maml, $link.Groups[1].Value.Trim()); $w.WriteElementString('maml', 'uri', $ns.maml, '')
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.Dispose()
}

# One parameter, as Get-Help shows it: its real type (T for Nullable<T>), the enum's values, pipeline input by value
# and by property name as declared, wildcard support ([SupportsWildcards]), aliases and the default value.
function Get-HelpTypeName([type] $Type) {
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { return $inner.Name }
    $Type.Name
}

function Get-HelpPipelineInput($Parameter) {
    $sets = $Parameter.ParameterSets.Values
    $kinds = @(if (@($sets | Where-Object ValueFromPipeline).Count) { 'ByValue' }) + @(if (@($sets | Where-Object ValueFromPipelineByPropertyName).Count) { 'ByPropertyName' })
    if ($kinds.Count) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-MamlParameter($W, $Ns, $Parameter, [bool] $Mandatory, [int] $Position, [string] $Description, $Default) {
    $type = $Parameter.ParameterType
    $W.WriteStartElement('command', 'parameter', $Ns.command)
    $W.WriteAttributeString('required', "$Mandatory".ToLowerInvariant())
    $W.WriteAttributeString('position', $(if ($Position -ge 0) { "$Position" } else { 'named' }))
    $W.WriteAttributeString('pipelineInput', (Get-HelpPipelineInput $Parameter))
    $wildcards = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
    $W.WriteAttributeString('globbing', "$wildcards".ToLowerInvariant())
    $W.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $Ns.maml, $Parameter.Name)
    if ($Description) { $W.WriteStartElement('maml', 'description', $Ns.maml); ConvertTo-MamlParagraphs $W $Description; $W.WriteEndElement() }
    $isSwitch = $type -eq [System.Management.Automation.SwitchParameter]
    if (-not $isSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $Ns.command); $W.WriteAttributeString('required', 'true'); $W.WriteString((Get-HelpTypeName $type)); $W.WriteEndElement()
        $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
        $element = if ([Nullable]::GetUnderlyingType($element)) { [Nullable]::GetUnderlyingType($element) } else { $element }
        $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        $values = if ($element.IsEnum) { [Enum]::GetNames($element) } elseif ($set) { $set.ValidValues }
        if ($values) {
            $W.WriteStartElement('command', 'parameterValueGroup', $Ns.command)
            foreach ($value in $values) { $W.WriteElementString('command', 'parameterValue', $Ns.command, $value) }
            $W.WriteEndElement()
        }
    }
    $W.WriteStartElement('dev', 'type', $Ns.dev); $W.WriteElementString('maml', 'name', $Ns.maml, $(if ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type).FullName } else { $type.FullName })); $W.WriteEndElement()
    $text = if ($null -eq $Default -or ($Default -is [Array] -and $Default.Count -eq 0)) { 'None' } elseif ($Default -is [DateTime]) { 'Today (UTC)' } else { "$Default" }
    $W.WriteElementString('dev', 'defaultValue', $Ns.dev, $text)
    $W.WriteEndElement()
}

# ---------------------------------------------------------------- packages
function Invoke-Package {
    Invoke-Build
    $package = Join-Path $Out 'package'
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $package

    # Azure Automation imports a zip named like the module, holding the module folder; at most 100 MB, short paths.
    $zip = Join-Path $package 'AksEgress.zip'
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [IO.Compression.ZipFile]::CreateFromDirectory($ModuleDir, $zip, [IO.Compression.CompressionLevel]::Optimal, $true)
    $size = (Get-Item $zip).Length
    if ($size -ge 100MB) { throw "AksEgress.zip is $([math]::Round($size / 1MB)) MB; Azure Automation takes at most 100 MB." }
    $archive = [IO.Compression.ZipFile]::OpenRead($zip)
    try {
        $long = $archive.Entries | Where-Object { $_.FullName.Length -ge 140 }
        if ($long) { throw "Paths of 140 characters or more in AksEgress.zip: $($long.FullName -join ', ')" }
    }
    finally { $archive.Dispose() }

    # The .nupkg, as Publish-PSResource makes it, through a file repository registered for this build only.
    $repository = "AksEgressBuild-$PID"
    $feed = Join-Path $Out 'feed'
    if (Test-Path $feed) { Remove-Item $feed -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $feed
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
    try { Publish-PSResource -Path $ModuleDir -Repository $repository -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $repository }
    Move-Item (Join-Path $feed '*.nupkg') $package
    Remove-Item $feed -Recurse -Force
    Get-ChildItem $package | ForEach-Object { Write-Host ("Packaged {0} ({1:N1} MB)" -f $_.FullName, ($_.Length / 1MB)) }
}

# ---------------------------------------------------------------- tests
# The tools the Pester tests need: Pester and the Bicep CLI from NuGet, HashiCorp's HCL parser from npm.
function Get-TestTool {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/AksEgress.Module.Tests/Pester.Restore.csproj'), '--nologo', '-v', 'quiet')
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) { $packages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
    $tools = @{
        Pester   = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
        Bicep    = Join-Path $packages "azure.bicep.commandline.linux-x64/$BicepVersion/tools/bicep"
        Hcl2Json = Join-Path $Root 'tests/AksEgress.Module.Tests/hcl/hcl2json.js'
        OldAzureCore = Join-Path $packages 'azure.core/1.38.0/lib/net6.0/Azure.Core.dll'
        Net472References = Join-Path $packages 'microsoft.netframework.referenceassemblies.net472/1.0.3/build/.NETFramework/v4.7.2'
        OldYamlDotNet = Join-Path $packages 'yamldotnet/18.0.0/lib/net47/YamlDotNet.dll'
    }
    foreach ($tool in 'Pester', 'Bicep', 'OldAzureCore', 'Net472References', 'OldYamlDotNet') { if (-not (Test-Path $tools[$tool])) { throw "$tool was not restored to $($tools[$tool])." } }
    if (-not $IsWindows) { Invoke-Native chmod @('+x', $tools.Bicep) }
    # Node.js is optional: without it the Terraform export is not read by HashiCorp's parser, and that test is skipped.
    $tools.Hcl2JsonMissing = if (-not (Get-Command node -ErrorAction Ignore) -or -not (Get-Command npm -ErrorAction Ignore)) { 'Node.js and npm are not installed' }
    else {
        & npm ci --prefix (Split-Path $tools.Hcl2Json) --no-audit --no-fund --loglevel error | Out-Host
        if ($LASTEXITCODE -ne 0) { "npm ci of HashiCorp's HCL parser failed (exit $LASTEXITCODE)" }
    }
    if ($tools.Hcl2JsonMissing) { Write-Warning "The Terraform export check is skipped: $($tools.Hcl2JsonMissing)."; $tools.Hcl2Json = $null }
    $tools
}

# The closing line "N passed, N failed" is printed whatever happens: a step that fails outside a test runner counts as one failure.
function Invoke-Test {
    try { Invoke-TestSteps }
    catch {
        Write-Host "The Test task failed outside the test runners: $_"
        Write-Host "0 passed, 1 failed"
        exit 1
    }
}

function Invoke-TestSteps {
    Invoke-Package
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results

    Write-Host 'Running xunit tests'
    & dotnet test (Join-Path $Root 'Module.sln') -c $Configuration --nologo --logger trx --results-directory $results
    $xunitExit = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = 0
    $trx = @(Get-ChildItem $results -Filter *.trx -Recurse)
    foreach ($file in $trx) {
        $counters = ([xml](Get-Content $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed; $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout
        $skipped += [int]$counters.notExecuted
    }
    if ($xunitExit -ne 0 -and $failed -eq 0) { Write-Warning "dotnet test failed (exit $xunitExit) without a failed test: counted as one failure."; $failed++ }

    Write-Host 'Running Pester tests'
    $summary = Join-Path $results 'pester.json'
    $tools = Get-TestTool
    $pester = $tools.Pester
    $env:AKSEGRESS_BICEP = $tools.Bicep
    $env:AKSEGRESS_HCL2JSON = $tools.Hcl2Json
    $env:AKSEGRESS_HCL2JSON_MISSING = $tools.Hcl2JsonMissing
    $env:AKSEGRESS_OLD_AZURE_CORE = $tools.OldAzureCore
    # The tests never see this machine's per-user catalog (Update-AksEgressCatalog's); theirs is one of this run only.
    $env:AKSEGRESS_USER_CATALOG = Join-Path $results 'user-catalog/aks-egress-catalog.yaml'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$env:AKSEGRESS_MODULE = '$ModuleManifest'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $Root 'tests/AksEgress.Module.Tests')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$r = Invoke-Pester -Configuration `$config
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount } | ConvertTo-Json | Set-Content '$summary'
"@
    # The ARM emulator for the Pester tests of the Azure cmdlets; its certificate is trusted by the Pester process only.
    $pem = Join-Path $results 'arm-emulator.pem'
    $urlFile = Join-Path $results 'arm-emulator.url'
    $emulatorDll = Join-Path $Root "tests/AksEgress.ArmEmulator/bin/$Configuration/net10.0/AksEgress.ArmEmulator.dll"
    $emulator = Start-Process dotnet -ArgumentList @($emulatorDll, '--pem', $pem, '--url-file', $urlFile) -PassThru `
        -RedirectStandardOutput (Join-Path $results 'arm-emulator.out') -RedirectStandardError (Join-Path $results 'arm-emulator.err')
    try {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $urlFile) -and -not $emulator.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        if (-not (Test-Path $urlFile)) { Write-Warning "The ARM emulator did not start: $(Get-Content (Join-Path $results 'arm-emulator.err') -Raw)" }
        else {
            $env:SSL_CERT_FILE = $pem
            $env:AKSEGRESS_TEST_ARM = (Get-Content $urlFile -Raw).Trim()
        }
        $null = Invoke-ChildPwsh @('-Command', $script)
        $runtimes = Invoke-RuntimeTest $tools $results $pem
        $passed += $runtimes.Passed; $failed += $runtimes.Failed; $skipped += $runtimes.Skipped
    }
    finally {
        Remove-Item Env:SSL_CERT_FILE, Env:AKSEGRESS_TEST_ARM, Env:AKSEGRESS_USER_CATALOG -ErrorAction Ignore
        if (-not $emulator.HasExited) { Stop-Process -Id $emulator.Id -Force }
    }
    if (Test-Path $summary) {
        $p = Get-Content $summary -Raw | ConvertFrom-Json
        $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
    }
    else { Write-Warning 'Pester did not report a result: counted as one failure.'; $failed++ }

    $line = "$passed passed, $failed failed" + $(if ($skipped) { ", $skipped skipped" } else { '' })
    Write-Host $line
    if ($failed -gt 0) { exit 1 }
}

# ---------------------------------------------------------------- other runtimes
# The built module on .NET 8 (PowerShell 7.4) and, through Mono, on the .NET Framework profile (Windows PowerShell 5.1):
# tests/AksEgress.RuntimeHost loads the module folder through its own resolver and runs the engine end to end. Mono is
# installed from Debian's packages when missing; where it cannot be, its part is counted as skipped, with the reason.
function Install-Mono {
    $facade = '/usr/lib/mono/4.5/Facades/netstandard.dll'
    if ((Get-Command mono -ErrorAction Ignore) -and (Get-Command cert-sync -ErrorAction Ignore) -and (Test-Path $facade)) { return $null }
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore)) { return 'Mono is not installed and this is not a Debian-like Linux, where the build installs it' }
    if ((id -u) -ne '0') { return 'Mono is not installed and installing it needs root (apt-get install mono-devel)' }
    Write-Host 'Installing Mono (mono-devel: the runtime, its .NET Framework facades and cert-sync) from Debian''s packages'
    & apt-get update -qq *>&1 | Out-Null
    & apt-get install -y -qq --no-install-recommends mono-devel *>&1 | Out-Null
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $facade)) { return "apt-get install mono-devel failed (exit $LASTEXITCODE)" }
    $null
}

# The runtime host, self-contained on .NET 8 (the runtime pack comes from NuGet) and for .NET Framework 4.7.2 (for Mono).
function Build-RuntimeHost {
    $project = Join-Path $Root 'tests/AksEgress.RuntimeHost/AksEgress.RuntimeHost.csproj'
    $hostDir = Join-Path $Out 'runtime-host'
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-f', 'net8.0', '-r', $rid, '--self-contained', '-o', (Join-Path $hostDir 'net8.0'), '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('build', $project, '-c', $Configuration, '-f', 'net472', '-o', (Join-Path $hostDir 'net472'), '--nologo', '-v', 'quiet')
    $hostDir
}

function Invoke-RuntimeTest($Tools, [string] $Results, [string] $Pem) {
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $hostDir = Build-RuntimeHost
    $net8 = Join-Path $hostDir "net8.0/AksEgress.RuntimeHost$(if ($IsWindows) { '.exe' })"

    # A copy of the module with one dependency damaged: the import must name it and say to reinstall.
    $damaged = Join-Path $Results 'damaged/AksEgress'
    $null = New-Item -ItemType Directory -Path (Split-Path $damaged) -Force
    Copy-Item $ModuleDir (Split-Path $damaged) -Recurse
    foreach ($yaml in (Join-Path $damaged 'Dependencies/YamlDotNet.dll'), (Join-Path $damaged 'Dependencies/NetFramework/YamlDotNet.dll')) {
        [IO.File]::WriteAllBytes($yaml, [IO.File]::ReadAllBytes($yaml)[0..4095])
    }
    $damagedError = 'YamlDotNet.dll is damaged|Reinstall the module'

    # One run of a host; its counts come from the JSON it writes (none written: one failure).
    function Run([string] $Label, [string[]] $Command, [string[]] $Arguments, [hashtable] $Environment = @{}) {
        $file = Join-Path $Results "runtime-$($counts.Passed + $counts.Failed + $counts.Skipped)-$([guid]::NewGuid().ToString('n').Substring(0, 8)).json"
        Write-Host "Runtime host: $Label"
        $saved = @{}
        foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
        try { & $Command[0] @($Command | Select-Object -Skip 1) @Arguments --results $file | Out-Host }
        finally { foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) } }
        if (Test-Path $file) {
            $r = Get-Content $file -Raw | ConvertFrom-Json
            $counts.Passed += $r.Passed; $counts.Failed += $r.Failed; $counts.Skipped += $r.Skipped
        }
        else { Write-Warning "The runtime host ($Label) wrote no result: counted as one failure."; $counts.Failed++ }
    }

    Run '.NET 8: static closure for .NET Framework 4.7.2' @($net8) @('--module', $ModuleDir, '--closure', $Tools.Net472References)
    Run '.NET 8: the engine end to end, an older Azure.Core loaded first' @($net8) @('--module', $ModuleDir, '--repo', $Root, '--preload', $Tools.OldAzureCore)
    Run '.NET 8: a damaged dependency' @($net8) @('--module', $damaged, '--expect-error', $damagedError)

    $mono = Install-Mono
    if ($mono) {
        Write-Warning "Mono (the .NET Framework stand-in) is skipped: $mono."
        $counts.Skipped += 3
        return $counts
    }

    # Mono does not read SSL_CERT_FILE: the emulator's certificate goes into the trust store of a HOME of this run only.
    $monoEnv = @{ HOME = (Join-Path $Results 'mono-home') }
    $null = New-Item -ItemType Directory -Path $monoEnv.HOME -Force
    if (Test-Path $Pem) {
        $savedHome = $env:HOME
        try { $env:HOME = $monoEnv.HOME; & cert-sync --user $Pem | Out-Null } finally { $env:HOME = $savedHome }
    }
    $exe = @('mono', (Join-Path $hostDir 'net472/AksEgress.RuntimeHost.exe'))
    Run 'Mono (.NET Framework profile): the engine end to end' $exe @('--module', $ModuleDir, '--repo', $Root) $monoEnv
    Run 'Mono: a damaged dependency' $exe @('--module', $damaged, '--expect-error', $damagedError) $monoEnv
    Run 'Mono: an older copy of a dependency already loaded by another module' $exe @('--module', $ModuleDir, '--preload', $Tools.OldYamlDotNet,
        '--expect-error', 'YamlDotNet 18.0.0 is already loaded|AksEgress needs 18.1.0|Import AksEgress first') $monoEnv
    $counts
}

function Invoke-Demo {
    Invoke-Build
    $script = @"
Import-Module '$ModuleManifest'
`$examples = @(
    { Get-AksEgressRequirement -Location westeurope },
    { Get-AksEgressRequirement -Cloud AzureUSGovernment -Location usgovvirginia -Feature AzureMonitor, AzurePolicy },
    { Get-AksEgressRequirement -Location eastus -PrivateCluster -Feature Gpu, Windows -IncludeOptional | Where-Object Kind -eq Network }
)
foreach (`$example in `$examples) {
    "PS> `$(`$example.ToString().Trim())"
    & `$example | Format-Table -AutoSize | Out-String -Width 200
}
"@
    if ((Invoke-ChildPwsh @('-Command', $script)) -ne 0) { throw 'The demo failed.' }
}

function Invoke-Bench {
    Invoke-Build
    $env:AKSEGRESS_MODULE = $ModuleManifest
    $env:AKSEGRESS_RUNTIME_HOSTS = Build-RuntimeHost
    $null = Install-Mono
    $env:AKSEGRESS_PWSH = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { [Environment]::ProcessPath }
    # A quoted literal: PowerShell on Unix expands wildcards in splatted native arguments.
    & dotnet run -c Release --project (Join-Path $Root 'bench/AksEgress.Benchmarks') -- --filter $BenchmarkFilter --artifacts (Join-Path $Out 'bench')
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed with exit code $LASTEXITCODE." }
}

function Invoke-UpdateCatalog {
    Invoke-Build
    $catalog = Join-Path $Root 'src/AksEgress.Core/Catalog/aks-egress-catalog.yaml'
    $source = if ($DocumentPath) { "-Path '$((Resolve-Path $DocumentPath).Path)'" } else { '' }
    $script = "Import-Module '$ModuleManifest'; Update-AksEgressCatalog $source -CatalogPath '$catalog' -Verbose | Format-Table -AutoSize | Out-String -Width 200"
    if ((Invoke-ChildPwsh @('-Command', $script)) -ne 0) { throw 'Updating the catalog failed.' }
    Invoke-Native git @('-C', $Root, 'diff', '--stat', '--', $catalog)
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Help' { Invoke-HelpCompile }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'UpdateCatalog' { Invoke-UpdateCatalog }
}
