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
        $matrix = Test-AksNetworkPolicy -Path $Examples -Matrix
        ($matrix | Where-Object { $_.From -eq 'demo/client' -and $_.To -eq 'demo/server' }).AllowedPorts | Should -Be @('TCP/80')
        @($matrix).Count | Should -Be 1 -Because 'only the server declares a port'
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

    It 'refuses -From without -To, and -From without -Port' {
        { Test-AksNetworkPolicy -Path $Examples -From demo/client } | Should -Throw -ErrorId 'FromAndToRequired,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
        { Test-AksNetworkPolicy -Path $Examples -From demo/client -To demo/server } | Should -Throw -ErrorId 'PortRequired,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
    }

    It 'takes the Kubernetes version as kubectl writes it' {
        # Cilium enforces endPort from Kubernetes 1.32 (see the findings reference): the same answer either way it is written.
        $a = Test-AksNetworkPolicy -Path $Examples -Engine Cilium -KubernetesVersion v1.30.2
        $b = Test-AksNetworkPolicy -Path $Examples -Engine Cilium -KubernetesVersion 1.30.2
        ($a | ConvertTo-Json -Depth 3) | Should -Be ($b | ConvertTo-Json -Depth 3)
        { Test-AksNetworkPolicy -Path $Examples -KubernetesVersion banana } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,AksEgress.PowerShell.TestAksNetworkPolicyCommand'
    }

    It 'completes -Engine with the AKS engines' {
        $r = TabExpansion2 -inputScript ($s = 'Test-AksNetworkPolicy -Engine Azure') -cursorColumn $s.Length
        $r.CompletionMatches.CompletionText | Should -Be @('AzureNpmLinux', 'AzureNpmWindows')
    }
}
