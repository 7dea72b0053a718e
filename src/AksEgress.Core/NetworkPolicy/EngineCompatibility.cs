using static AksEgress.NetworkPolicy.FindingCodes;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// What an AKS policy engine does not enforce as the Kubernetes specification says (seed 001, "AKS network policies"):
/// Azure NPM on Windows lacks named ports, SCTP, negative selectors and ipBlock except; Azure NPM lacks IPv6 and is
/// unsupported beyond 250 nodes / 20,000 pods, and large policies with many ipBlocks risk a race when edited; Cilium
/// does not filter hostNetwork pods, does not match pod or node addresses with ipBlock, enforces endPort only from
/// Cilium 1.17 (AKS Kubernetes 1.32), and misbehaves when a port name means different numbers on different pods.
/// Calico supports the specification.
/// </summary>
public static class EngineCompatibility
{
    public const int MaxIpBlocksAdvised = 4;
    public const int NpmLinuxMaxPods = 20_000;
    internal static readonly Version CiliumEndPortKubernetes = new(1, 32);

    public static IEnumerable<NetworkPolicyFinding> Check(ClusterModel cluster, PolicyEngine engine, Version? kubernetesVersion)
    {
        var findings = new List<NetworkPolicyFinding>();
        foreach (var policy in cluster.Policies)
        {
            var ports = policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Ports).ToList();
            var peers = policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Peers).ToList();
            void Add(string code, string message, SourceSpan? at, string? path, FindingSeverity severity = FindingSeverity.Warning) =>
                findings.Add(new NetworkPolicyFinding
                {
                    SeverityValue = severity, Code = code, Message = message, Engine = engine.ToString(), Policy = policy.Id, Path = path,
                    File = (at ?? policy.Source).File, Line = (at ?? policy.Source).Line, Column = (at ?? policy.Source).Column,
                });

            if (engine is PolicyEngine.AzureNpmWindows)
            {
                foreach (var port in ports.Where(p => p.PortName is not null))
                {
                    Add(NamedPortUnsupported, $"Azure NPM on Windows does not support named ports: the port '{port.PortName}' is not enforced as written (NPM logs an error for the policy). Use the port number.", port.Source, port.Path);
                }

                foreach (var port in ports.Where(p => p.Protocol == "SCTP"))
                {
                    Add(SctpUnsupported, "Azure NPM on Windows does not support SCTP: this port is not enforced as written (NPM logs an error for the policy).", port.Source, port.Path);
                }

                if (policy.PodSelector.UsesNegation)
                {
                    Add(NegativeSelectorUnsupported, "Azure NPM on Windows does not support negative selectors (NotIn, DoesNotExist): the pods this policy applies to are not the ones it names.", policy.Source, "spec.podSelector");
                }

                foreach (var peer in peers.Where(p => (p.PodSelector?.UsesNegation ?? false) || (p.NamespaceSelector?.UsesNegation ?? false)))
                {
                    Add(NegativeSelectorUnsupported, "Azure NPM on Windows does not support negative selectors (NotIn, DoesNotExist): this peer is not matched as written.", peer.Source, peer.Path);
                }

                foreach (var peer in peers.Where(p => p.IpBlock is { Except.Count: > 0 }))
                {
                    Add(IpBlockExceptUnsupported, "Azure NPM on Windows does not support ipBlock except: the excepted addresses are not carved out of this block.", peer.Source, peer.Path);
                }
            }

            if (engine is PolicyEngine.AzureNpmLinux or PolicyEngine.AzureNpmWindows)
            {
                foreach (var peer in peers.Where(p => p.IpBlock is { } b && (b.Cidr.IsIPv6 || b.Except.Any(e => e.IsIPv6))))
                {
                    Add(Ipv6Unsupported, "Azure NPM does not support IPv6: this IPv6 block is not enforced.", peer.Source, peer.Path);
                }

                var ipBlocks = peers.Count(p => p.IpBlock is not null);
                if (ipBlocks > MaxIpBlocksAdvised)
                {
                    Add(ManyIpBlocks, $"The policy has {ipBlocks} ipBlock sections. Editing or deleting a large policy can briefly open new connections on Azure NPM nodes; the AKS documentation advises at most {MaxIpBlocksAdvised}. Split it into smaller policies.", policy.Source, null);
                }
            }

            if (engine is PolicyEngine.Cilium)
            {
                foreach (var pod in cluster.Pods.Where(p => p.HostNetwork && p.Namespace == policy.Namespace && policy.PodSelector.Matches(p.Labels)))
                {
                    Add(HostNetworkNotFiltered, $"Cilium does not apply policies to hostNetwork pods: {pod} is selected but its traffic is not filtered.", policy.Source, "spec.podSelector");
                }

                foreach (var peer in peers.Where(p => p.IpBlock is not null))
                {
                    var pods = cluster.Pods.Where(p => p.Ip is not null && peer.IpBlock!.Contains(p.Ip)).Select(p => p.Id).Take(3).ToList();
                    if (pods.Count > 0)
                    {
                        Add(IpBlockMatchesPodIp, $"Cilium does not match pod or node addresses with ipBlock: this block contains the addresses of {string.Join(", ", pods)}, which it will not match. Select them with podSelector/namespaceSelector.", peer.Source, peer.Path);
                    }
                }

                if (kubernetesVersion is null || kubernetesVersion < CiliumEndPortKubernetes)
                {
                    foreach (var port in ports.Where(p => p.EndPort is not null))
                    {
                        Add(EndPortNeedsNewerCilium, $"Cilium enforces endPort from Cilium 1.17, on AKS Kubernetes 1.32 and later{(kubernetesVersion is null ? " (give -KubernetesVersion to check the cluster)" : $"; Kubernetes {kubernetesVersion} opens only port {port.Port}, not the range to {port.EndPort}")}.", port.Source, port.Path);
                    }
                }

                foreach (var port in ports.Where(p => p.PortName is not null).GroupBy(p => (p.PortName, p.Protocol)).Select(g => g.First()))
                {
                    var numbers = cluster.Pods.SelectMany(p => p.Ports).Where(c => c.Name == port.PortName && c.Protocol == port.Protocol).Select(c => c.Port).Distinct().OrderBy(n => n).ToList();
                    if (numbers.Count > 1)
                    {
                        Add(AmbiguousPortName, $"The port name '{port.PortName}' means {string.Join(", ", numbers)} on different pods; Cilium can then enforce the wrong number. Give the ports distinct names or use numbers.", port.Source, port.Path);
                    }
                }
            }
        }

        if (engine is PolicyEngine.AzureNpmLinux && cluster.Pods.Count > NpmLinuxMaxPods)
        {
            findings.Add(new NetworkPolicyFinding
            {
                SeverityValue = FindingSeverity.Warning, Code = NpmScaleLimit, Engine = engine.ToString(),
                Message = $"{cluster.Pods.Count} pods: Azure NPM on Linux is not supported beyond 250 nodes and {NpmLinuxMaxPods} pods (it can run out of memory). Use Azure CNI powered by Cilium.",
            });
        }

        return findings;
    }
}
