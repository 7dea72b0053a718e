BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Examples = Join-Path $RepoRoot 'docs/examples/k8s'
}

Describe 'Test-AksNetworkPolicy' {
    It 'answers the seed 001 question with the rule that decides' {
        $verdict = Test-AksNetworkPolicy -Path $Examples -From demo/client -To demo/server -Port 80
        $verdict.Allowed | Should -BeTrue
        # demo-policy allows app=client on TCP 80; the metrics policy allows anyone on the port named http (80).
        $verdict.AllowedBy | Should -Be @('demo/demo-policy:ingress[0]', 'demo/metrics:ingress[0]')
        (Test-AksNetworkPolicy -Path $Examples -From demo/client -To demo/server -Port 443).Allowed | Should -BeFalse
    }

    It 'takes files from Get-ChildItem and reports what Azure NPM on Windows does not enforce' {
        $findings = Get-ChildItem $Examples -Recurse -Include *.yaml, *.json | Test-AksNetworkPolicy -Engine AzureNpmWindows
        $findings[0].PSObject.TypeNames[0] | Should -Be 'AksEgress.NetworkPolicy.NetworkPolicyFinding'
        ($findings | Where-Object Engine -eq AzureNpmWindows).Code | Sort-Object | Should -Be @('AKSNP201', 'AKSNP202')
        ($findings | Where-Object Code -eq AKSNP201).Line | Should -Be 14
        ($findings | Where-Object Code -eq AKSNP201).Path | Should -Be 'spec.ingress[0].ports[0]'
    }

    It 'returns the matrix of who reaches whom on the declared ports' {
        # Bare pods are their own workloads.
        $matrix = Test-AksNetworkPolicy -Path $Examples -Matrix
        ($matrix | Where-Object { $_.From -eq 'demo/Pod/client' -and $_.To -eq 'demo/Pod/server' }).AllowedPorts | Should -Be @('TCP/80')
        @($matrix).Count | Should -Be 1 -Because 'only the server declares a port'
        $pods = Test-AksNetworkPolicy -Path $Examples -Matrix -GroupBy Pod
        ($pods | Where-Object { $_.From -eq 'demo/client' -and $_.To -eq 'demo/server' }).AllowedPorts | Should -Be @('TCP/80')
    }

    # A live dump as `kubectl get deployments,statefulsets,pods -o yaml` gives it: the Deployment web (3 pods of its
    # ReplicaSet web-5d8f7c9b4, each with the pod-template-hash label and a unique name), the StatefulSet db (pods db-0 and
    # db-1, with the statefulset.kubernetes.io/pod-name label), and a bare pod. Only db allows ingress, from app=web, on 5432.
    It 'groups the matrix by workload, from the pods'' owners, and -ExcludeAllowed keeps what is denied' {
        $pod = {
            param($Name, $App, $OwnerKind, $Owner, $Extra, $Port)
            @"
- apiVersion: v1
  kind: Pod
  metadata:
    name: $Name
    namespace: shop
    labels: { app: $App, $Extra }
    ownerReferences: [ { apiVersion: apps/v1, kind: $OwnerKind, name: $Owner, controller: true, uid: u-$Name } ]
  spec: { containers: [ { name: c, image: x, ports: [ { containerPort: $Port } ] } ] }
  status: { podIP: 10.1.0.$([math]::Abs($Name.GetHashCode()) % 200 + 1) }
"@
        }
        $dump = @"
apiVersion: v1
kind: List
items:
$(& $pod 'web-5d8f7c9b4-x2x9z' web ReplicaSet web-5d8f7c9b4 'pod-template-hash: 5d8f7c9b4' 8080)
$(& $pod 'web-5d8f7c9b4-k81mq' web ReplicaSet web-5d8f7c9b4 'pod-template-hash: 5d8f7c9b4' 8080)
$(& $pod 'web-5d8f7c9b4-pq7tt' web ReplicaSet web-5d8f7c9b4 'pod-template-hash: 5d8f7c9b4' 8080)
$(& $pod 'db-0' db StatefulSet db 'statefulset.kubernetes.io/pod-name: db-0' 5432)
$(& $pod 'db-1' db StatefulSet db 'statefulset.kubernetes.io/pod-name: db-1' 5432)
- apiVersion: v1
  kind: Pod
  metadata: { name: debug, namespace: shop, labels: { app: debug } }
  spec: { containers: [ { name: c, image: x, ports: [ { containerPort: 22 } ] } ] }
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: db-from-web, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: db } }
    ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ], ports: [ { port: 5432 } ] } ]
"@
        $out = $dump | Test-AksNetworkPolicy -Matrix -Verbose 4>&1
        # The pod-template-hash and pod-name labels no selector uses do not split the workloads' pods into classes.
        "$(($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message)" | Should -BeLike '*6 pods and templates, 3 workloads, in 3 classes*'
        $matrix = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        # 3 workloads x 3 destinations; web and db to themselves are pairs of distinct pods, the bare pod has none.
        $matrix | ForEach-Object { "$($_.From) -> $($_.To): $($_.Allowed) $($_.AllowedPorts) / $($_.DeniedPorts) ($($_.Pairs))" } | Sort-Object | Should -Be @(
            'shop/Deployment/web -> shop/Deployment/web: True TCP/8080 /  (6)'
            'shop/Deployment/web -> shop/Pod/debug: True TCP/22 /  (3)'
            'shop/Deployment/web -> shop/StatefulSet/db: True TCP/5432 /  (6)'
            'shop/Pod/debug -> shop/Deployment/web: True TCP/8080 /  (3)'
            'shop/Pod/debug -> shop/StatefulSet/db: False  / TCP/5432 (2)'
            'shop/StatefulSet/db -> shop/Deployment/web: True TCP/8080 /  (6)'
            'shop/StatefulSet/db -> shop/Pod/debug: True TCP/22 /  (2)'
            'shop/StatefulSet/db -> shop/StatefulSet/db: False  / TCP/5432 (2)'
        )
        ($dump | Test-AksNetworkPolicy -Matrix -ExcludeAllowed | ForEach-Object { "$($_.From) -> $($_.To)" }) | Sort-Object |
            Should -Be @('shop/Pod/debug -> shop/StatefulSet/db', 'shop/StatefulSet/db -> shop/StatefulSet/db')
        @($dump | Test-AksNetworkPolicy -Matrix -GroupBy Class).Count | Should -Be 8
        @($dump | Test-AksNetworkPolicy -Matrix -GroupBy Pod).Count | Should -Be 30   # 6 pods, each reached from the 5 others
        ($dump | Test-AksNetworkPolicy -Matrix | Select-Object -First 1).From | Should -Not -BeNullOrEmpty
        ($dump | Test-AksNetworkPolicy -Matrix | ConvertTo-Csv | Select-Object -Skip 1 -First 1) | Should -Match '"TCP/'
    }

    It 'reports a malformed file with its line and still checks the others' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        Set-Content $bad "apiVersion: networking.k8s.io/v1`nkind: NetworkPolicy`nmetadata: [unclosed`n"
        $findings = Test-AksNetworkPolicy -Path $bad, (Join-Path $Examples 'named-ports.yaml') -Engine AzureNpmWindows
        ($findings | Where-Object Code -eq AKSNP001).File | Should -Be $bad
        ($findings | Where-Object Code -eq AKSNP001).Line | Should -BeGreaterThan 2
        $findings.Code | Should -Contain 'AKSNP201'
    }

    It 'reports a missing path as a non-terminating error and goes on' {
        $findings = Test-AksNetworkPolicy -Path (Join-Path $TestDrive 'none.yaml'), (Join-Path $Examples 'named-ports.yaml') -Engine AzureNpmWindows -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        $findings.Code | Should -Contain 'AKSNP201'
    }

    It 'names close matches for an unknown endpoint' {
        $err = { Test-AksNetworkPolicy -Path $Examples -From demo/clien -To demo/server -Port 80 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'UnknownEndpoint,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        $err.Exception.Message | Should -BeLike '*Closest: demo/client*'
    }

    It 'keeps its modes apart at bind time: -From needs -To and -Port, -Matrix and -Quiet take no endpoints' {
        # Pester runs non-interactively, where PowerShell refuses a missing mandatory parameter instead of prompting.
        { Test-AksNetworkPolicy -Path $Examples -From demo/client } | Should -Throw -ErrorId 'MissingMandatoryParameter,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        { Test-AksNetworkPolicy -Path $Examples -From demo/client -To demo/server } | Should -Throw -ErrorId 'MissingMandatoryParameter,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        { Test-AksNetworkPolicy -Path $Examples -Matrix -From demo/client -To demo/server -Port 80 } | Should -Throw -ErrorId 'AmbiguousParameterSet,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        { Test-AksNetworkPolicy -Path $Examples -Quiet -Matrix } | Should -Throw -ErrorId 'AmbiguousParameterSet,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
    }

    It 'gates with -Quiet: $false when a finding is an error, $true otherwise' {
        Test-AksNetworkPolicy -Path $Examples -Quiet | Should -BeTrue
        $bad = Join-Path $TestDrive 'invalid.yaml'
        # A port must be 1-65535 (pkg/apis/networking/validation, ValidateNetworkPolicyPort).
        Set-Content $bad "apiVersion: networking.k8s.io/v1`nkind: NetworkPolicy`nmetadata: { name: p, namespace: demo }`nspec: { podSelector: {}, ingress: [ { ports: [ { port: 70000 } ] } ] }"
        Test-AksNetworkPolicy -Path $Examples, $bad -Quiet | Should -BeFalse
    }

    It 'reads manifest text from the pipeline, as kubectl writes it' {
        $verdict = Get-Content (Join-Path $Examples 'demo.yaml') | Test-AksNetworkPolicy -From demo/client -To demo/server -Port 80
        $verdict.Allowed | Should -BeTrue
        $verdict.AllowedBy | Should -Contain 'demo/demo-policy:ingress[0]'
        (Get-Content (Join-Path $Examples 'named-ports.yaml') -Raw | Test-AksNetworkPolicy -Engine AzureNpmWindows | Where-Object Code -eq AKSNP201).File | Should -Be '<pipeline>'
    }

    It 'says so when there is nothing to check: <Case>' -ForEach @(
        @{ Case = 'an empty folder'; Make = { $null = New-Item -ItemType Directory (Join-Path $TestDrive 'empty') -Force; Join-Path $TestDrive 'empty' } }
        @{ Case = 'an empty file'; Make = { $f = Join-Path $TestDrive 'empty.yaml'; Set-Content $f ''; $f } }
        @{ Case = 'a folder without manifests of these kinds'; Make = { $d = Join-Path $TestDrive 'other'; $null = New-Item -ItemType Directory $d -Force; Set-Content (Join-Path $d 'cm.yaml') "apiVersion: v1`nkind: ConfigMap`nmetadata: { name: x }"; $d } }
    ) {
        $path = & $Make
        $err = { Test-AksNetworkPolicy -Path $path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NoManifests,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Test-AksNetworkPolicy -Path $path -Quiet } | Should -Throw -ErrorId 'NoManifests,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
    }

    It 'takes the Kubernetes version as kubectl writes it' {
        # Cilium enforces endPort from Kubernetes 1.32 (see the findings reference): the same answer either way it is written.
        $a = Test-AksNetworkPolicy -Path $Examples -Engine Cilium -KubernetesVersion v1.30.2
        $b = Test-AksNetworkPolicy -Path $Examples -Engine Cilium -KubernetesVersion 1.30.2
        ($a | ConvertTo-Json -Depth 3) | Should -Be ($b | ConvertTo-Json -Depth 3)
        { Test-AksNetworkPolicy -Path $Examples -KubernetesVersion banana } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
    }

    It 'selects findings by rule and severity, as PSScriptAnalyzer does' {
        $all = Test-AksNetworkPolicy -Path $Examples -Engine AzureNpmWindows
        $all[0].PSObject.TypeNames | Should -Contain 'AksEgress.Diagnostics.Finding'
        (Test-AksNetworkPolicy -Path $Examples -Engine AzureNpmWindows -IncludeRule 'AKSNP2*').Code | Sort-Object | Should -Be @('AKSNP201', 'AKSNP202')
        (Test-AksNetworkPolicy -Path $Examples -Engine AzureNpmWindows -IncludeRule 'AKSNP2*' -ExcludeRule NamedPortUnsupported).Code | Should -Be 'AKSNP202'
        $info = Test-AksNetworkPolicy -Path $Examples -Engine AzureNpmWindows -Severity Information
        $info.Severity | Sort-Object -Unique | Should -Be 'Information'
        @($info).Count | Should -Be @($all | Where-Object Severity -eq Information).Count
        ($all | Where-Object Code -eq AKSNP201).RuleName | Should -Be 'NamedPortUnsupported'
        $r = TabExpansion2 -inputScript ($s = 'Test-AksNetworkPolicy -IncludeRule NoDefault') -cursorColumn $s.Length
        $r.CompletionMatches.CompletionText | Should -Be @('NoDefaultDeny')
    }

    It 'completes -Engine with the AKS engines' {
        $r = TabExpansion2 -inputScript ($s = 'Test-AksNetworkPolicy -Engine Azure') -cursorColumn $s.Length
        $r.CompletionMatches.CompletionText | Should -Be @('AzureNpmLinux', 'AzureNpmWindows')
    }
}

# Issue 13's reproductions, as a user meets them: the session survives, nothing hangs, and each says what is wrong.
Describe 'Test-AksNetworkPolicy on hostile input' {
    BeforeAll {
        $script:Examples = Join-Path $RepoRoot 'docs/examples/k8s'
        # A List of pods, each its own workload (app: a<i>), in pods.yaml; and a PowerShell instance (whose streams keep
        # every record) set to import the module and run Test-AksNetworkPolicy -Path on it.
        function New-PodListShell([int] $Count, [string] $Ports = '') {
            $pods = foreach ($i in 1..$Count) { "- { apiVersion: v1, kind: Pod, metadata: { name: p$i, namespace: shop, labels: { app: a$i } }, spec: { containers: [ { name: c, ports: [ $Ports ] } ] } }" }
            $file = Join-Path $TestDrive 'pods.yaml'
            Set-Content $file (@('apiVersion: v1', 'kind: List', 'items:') + $pods)
            $ps = [PowerShell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument($ModulePath).AddStatement().AddCommand('Test-AksNetworkPolicy').AddParameter('Path', $file)
            $ps
        }
    }

    It 'reports a 45-byte self-referencing List as a finding, and the session lives on' {
        $bomb = Join-Path $TestDrive 'bomb.yaml'
        Set-Content $bomb '&x {apiVersion: v1, kind: List, items: [*x]}' -NoNewline
        # In a child session: a stack overflow would end the process, not throw.
        $output = Invoke-FreshPwsh "Import-Module '$ModulePath'; (Test-AksNetworkPolicy -Path '$bomb').Message; 'alive'"
        $output | Should -Contain 'alive'
        "$output" | Should -BeLike '*refers to a node that contains it*'
    }

    It 'walks a folder with a link loop, a FIFO and a link to /dev/zero without hanging, reading each file once' -Skip:$IsWindows {
        $folder = Join-Path $TestDrive 'tree'
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'sub') -Force
        Copy-Item (Join-Path $Examples 'demo.yaml') $folder
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'sub/loop') -Target $folder
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'zero.yaml') -Target '/dev/zero'
        & mkfifo (Join-Path $folder 'fifo.yaml')
        $findings = Test-AksNetworkPolicy -Path $folder -ErrorVariable errs -ErrorAction SilentlyContinue
        ($errs | Where-Object { $_.TargetObject -like '*zero.yaml' }).FullyQualifiedErrorId | Should -Be 'ManifestUnreadable,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        "$($errs.Exception.Message)" | Should -BeLike '*not a regular file*'
        # demo.yaml once: no duplicate-policy finding from reading it again through the loop.
        $findings.Code | Should -Not -Contain 'AKSNP307'
    }

    It 'refuses a catalog that is a device or a FIFO without hanging' -Skip:$IsWindows {
        { Get-AksEgressCatalog -CatalogPath '/dev/zero' } | Should -Throw -ErrorId 'CatalogUnreadable,AksEgress.PowerShell.GetAksEgressCatalogCommand'
        $fifo = Join-Path $TestDrive 'catalog.yaml'
        & mkfifo $fifo
        { Get-AksEgressCatalog -CatalogPath $fifo } | Should -Throw -ErrorId 'InvalidCatalog,AksEgress.PowerShell.GetAksEgressCatalogCommand'
    }

    It 'stops on Ctrl+C while the matrix is written: the pipeline ends Stopped, early, with no error of its own' {
        # 400 pods of 400 workloads, one port each: 159,600 rows with -GroupBy Pod.
        $ps = New-PodListShell -Count 400 -Ports '{ containerPort: 80 }'
        try {
            $null = $ps.AddParameter('Matrix').AddParameter('GroupBy', 'Pod')
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $rows = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $running = $ps.BeginInvoke($noInput, $rows)
            $deadline = [datetime]::UtcNow.AddMinutes(2) # a bound for the test itself, not a measurement
            while ($rows.Count -lt 10 -and -not $running.IsCompleted -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $ps.Stop() # what Ctrl+C does: StopProcessing, then wait for the pipeline to end
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $rows.Count | Should -BeGreaterOrEqual 10
            $rows.Count | Should -BeLessThan 159600
            # PowerShell itself records the stop (PipelineStopped); a cancellation surfacing as an error would be another record.
            $ps.Streams.Error.FullyQualifiedErrorId | Where-Object { $_ -ne 'PipelineStopped' } | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }

    It 'shows how far it has read a List of thousands of items, and ends the progress when done' {
        $ps = New-PodListShell -Count 2500
        try {
            $null = $ps.Invoke()
            $reading = @($ps.Streams.Progress | Where-Object StatusDescription -eq "Reading $(Join-Path $TestDrive 'pods.yaml')")
            # Every thousand items: at 1,000 and 2,000, then Completed.
            $reading.Count | Should -Be 3
            $reading[0].PercentComplete | Should -BeGreaterThan 30
            $reading[1].PercentComplete | Should -BeGreaterThan $reading[0].PercentComplete
            $reading[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}
