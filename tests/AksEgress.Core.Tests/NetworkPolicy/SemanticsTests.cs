using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>One case per rule of NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies).</summary>
public class SemanticsTests
{
    private static readonly string Cluster =
        Namespace("a", "{ team: x }") + Namespace("b", "{ team: x, env: prod }") + Namespace("c", "{ team: y }") +
        Pod("a", "web", "{ app: web }", "{ name: http, containerPort: 8080, protocol: TCP }, { name: dns, containerPort: 53, protocol: UDP }", "10.0.1.10") +
        Pod("a", "db", "{ app: db }", "{ name: sql, containerPort: 5432 }", "10.0.1.20") +
        Pod("b", "api", "{ app: api }", "{ name: http, containerPort: 9090 }", "10.0.2.10") +
        Pod("c", "api", "{ app: api }", "{ name: http, containerPort: 8080 }", "10.0.3.10");

    private static string Policy(string ns, string spec) => $"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: p{Math.Abs(spec.GetHashCode()) % 10000}
          namespace: {ns}
        spec:
        {spec}

        """;

    [Fact]
    public void With_no_policy_everything_is_allowed() =>
        Assert.True(Can(Cluster, "c/api", "a/db", 5432));

    [Fact]
    public void A_pod_not_selected_for_a_direction_is_open_in_that_direction()
    {
        var yaml = Cluster + Policy("a", "  podSelector: { matchLabels: { app: db } }\n  policyTypes: [Ingress]");
        Assert.False(Can(yaml, "a/web", "a/db", 5432));
        Assert.True(Can(yaml, "a/web", "b/api", 9090));
        Assert.True(Can(yaml, "a/db", "b/api", 9090)); // db is isolated for ingress only
    }

    [Fact]
    public void Without_policy_types_egress_is_isolated_only_when_egress_rules_are_present()
    {
        Assert.True(Can(Cluster + Policy("a", "  podSelector: {}\n  egress: []"), "a/web", "c/api", 8080));
        Assert.False(Can(Cluster + Policy("a", "  podSelector: {}\n  ingress: []"), "c/api", "a/web", 8080));
        Assert.False(Can(Cluster + Policy("a", "  podSelector: {}\n  egress: [ { to: [ { podSelector: {} } ] } ]"), "a/web", "c/api", 8080));
        // Without policyTypes, Ingress is always isolated too: the egress rule lets web out, db's ingress stops it.
        var set = Read(Cluster + Policy("a", "  podSelector: {}\n  egress: [ { to: [ { podSelector: {} } ] } ]"));
        var verdict = new ReachabilityEngine(ClusterModel.From(set)).Evaluate(Endpoint.Of(set.Pod("a/web")), Endpoint.Of(set.Pod("a/db")), 5432);
        Assert.False(verdict.Allowed);
        Assert.Single(verdict.AllowedBy, r => r.EndsWith(":egress[0]"));
        Assert.Contains("a/db is isolated for ingress", verdict.Reason);
    }

    [Fact]
    public void A_connection_needs_the_sources_egress_and_the_destinations_ingress()
    {
        var yaml = Cluster + Policy("a", "  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Egress]\n  egress: [ { to: [ { namespaceSelector: { matchLabels: { team: x } } } ] } ]")
            + Policy("b", "  podSelector: {}\n  ingress: [ { from: [ { namespaceSelector: { matchLabels: { team: y } } } ] } ]");
        Assert.False(Can(yaml, "a/web", "b/api", 9090)); // egress allows team x, but b's ingress wants team y
        Assert.False(Can(yaml, "a/web", "c/api", 8080)); // c is team y: ingress open, egress closed
        Assert.True(Can(yaml, "c/api", "b/api", 9090));
    }

    [Fact]
    public void Pod_and_namespace_selectors_in_one_peer_are_anded_and_separate_peers_are_ored()
    {
        var anded = Cluster + Policy("c", "  podSelector: {}\n  ingress: [ { from: [ { namespaceSelector: { matchLabels: { env: prod } }, podSelector: { matchLabels: { app: web } } } ] } ]");
        Assert.False(Can(anded, "b/api", "c/api", 8080));  // prod namespace, but not app=web
        Assert.False(Can(anded, "a/web", "c/api", 8080));  // app=web, but not in a prod namespace
        var ored = Cluster + Policy("c", "  podSelector: {}\n  ingress: [ { from: [ { namespaceSelector: { matchLabels: { env: prod } } }, { podSelector: { matchLabels: { app: web } } } ] } ]");
        Assert.True(Can(ored, "b/api", "c/api", 8080));
        Assert.False(Can(ored, "a/web", "c/api", 8080)); // a podSelector alone means pods of c
    }

    [Fact]
    public void A_pod_selector_alone_means_the_policys_own_namespace()
    {
        var yaml = Cluster + Policy("b", "  podSelector: {}\n  ingress: [ { from: [ { podSelector: { matchLabels: { app: api } } } ] } ]");
        Assert.False(Can(yaml, "c/api", "b/api", 9090));
    }

    [Fact]
    public void Protocol_defaults_to_tcp()
    {
        var yaml = Cluster + Policy("a", "  podSelector: { matchLabels: { app: web } }\n  ingress: [ { ports: [ { port: 53 } ] } ]");
        Assert.True(Can(yaml, "c/api", "a/web", 53, "TCP"));
        Assert.False(Can(yaml, "c/api", "a/web", 53, "UDP"));
    }

    [Fact]
    public void Named_ports_resolve_on_the_destination_pod_by_name_and_protocol()
    {
        var yaml = Cluster + Policy("a", "  podSelector: {}\n  ingress: [ { ports: [ { port: http }, { port: dns, protocol: UDP } ] } ]");
        Assert.True(Can(yaml, "c/api", "a/web", 8080));
        Assert.False(Can(yaml, "c/api", "a/web", 9090));
        Assert.True(Can(yaml, "c/api", "a/web", 53, "UDP"));
        Assert.False(Can(yaml, "c/api", "a/web", 53, "TCP")); // dns is declared UDP
        Assert.False(Can(yaml, "c/api", "a/db", 5432));        // db has no port named http
        var egress = Cluster + Policy("a", "  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Egress]\n  egress: [ { ports: [ { port: http } ] } ]");
        Assert.True(Can(egress, "a/web", "b/api", 9090));  // http is 9090 on b/api
        Assert.False(Can(egress, "a/web", "b/api", 8080));
    }

    [Fact]
    public void End_port_opens_a_range()
    {
        var yaml = Cluster + Policy("a", "  podSelector: {}\n  ingress: [ { ports: [ { port: 5000, endPort: 5500 } ] } ]");
        Assert.True(Can(yaml, "c/api", "a/db", 5432));
        Assert.True(Can(yaml, "c/api", "a/db", 5500));
        Assert.False(Can(yaml, "c/api", "a/db", 5501));
    }

    [Fact]
    public void Cilium_before_kubernetes_1_32_opens_only_the_first_port_of_a_range()
    {
        var set = Read(Cluster + Policy("a", "  podSelector: {}\n  ingress: [ { ports: [ { port: 5000, endPort: 5500 } ] } ]"));
        var cluster = ClusterModel.From(set);
        Endpoint Ep(string id) => Endpoint.Of(set.Pod(id));
        Assert.False(new ReachabilityEngine(cluster, PolicyEngine.Cilium, new Version(1, 31)).Evaluate(Ep("c/api"), Ep("a/db"), 5432).Allowed);
        Assert.True(new ReachabilityEngine(cluster, PolicyEngine.Cilium, new Version(1, 31)).Evaluate(Ep("c/api"), Ep("a/db"), 5000).Allowed);
        Assert.True(new ReachabilityEngine(cluster, PolicyEngine.Cilium, new Version(1, 32)).Evaluate(Ep("c/api"), Ep("a/db"), 5432).Allowed);
        Assert.True(new ReachabilityEngine(cluster, PolicyEngine.Calico, new Version(1, 31)).Evaluate(Ep("c/api"), Ep("a/db"), 5432).Allowed);
    }

    [Fact]
    public void Ip_blocks_match_addresses_except_the_excepted()
    {
        var yaml = Cluster + Policy("a", "  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Egress]\n  egress: [ { to: [ { ipBlock: { cidr: 203.0.113.0/24, except: [ 203.0.113.128/25 ] } } ] } ]");
        Assert.True(Can(yaml, "a/web", "203.0.113.9", 443));
        Assert.False(Can(yaml, "a/web", "203.0.113.200", 443));
        Assert.False(Can(yaml, "a/web", "198.51.100.1", 443));
    }

    [Fact]
    public void Empty_from_to_and_ports_match_everything()
    {
        var yaml = Cluster + Policy("a", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [ { } ]\n  egress: [ { ports: [ { port: 9090 } ] } ]");
        Assert.True(Can(yaml, "203.0.113.9", "a/db", 1234));
        Assert.True(Can(yaml, "a/web", "b/api", 9090));
        Assert.False(Can(yaml, "a/web", "b/api", 9091));
    }

    [Fact]
    public void On_cilium_host_network_pods_are_not_filtered_and_ip_blocks_do_not_match_pod_addresses()
    {
        var hostNet = Cluster + Pod("a", "node-agent", "{ app: agent }", "", "10.224.0.4", hostNetwork: true)
            + Policy("a", "  podSelector: {}\n  policyTypes: [Ingress]");
        Assert.False(Can(hostNet, "c/api", "a/node-agent", 80));
        Assert.True(Can(hostNet, "c/api", "a/node-agent", 80, engine: PolicyEngine.Cilium));

        var byIp = Cluster + Policy("a", "  podSelector: { matchLabels: { app: db } }\n  ingress: [ { from: [ { ipBlock: { cidr: 10.0.2.0/24 } } ] } ]");
        Assert.True(Can(byIp, "b/api", "a/db", 5432));
        Assert.False(Can(byIp, "b/api", "a/db", 5432, engine: PolicyEngine.Cilium));
    }
}
