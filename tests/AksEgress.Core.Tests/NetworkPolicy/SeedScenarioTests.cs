using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>The scenarios of seed 001 (AKS network policies) and seed 004 (network policy how-to), verdicts by hand.</summary>
public class SeedScenarioTests
{
    // Seed 001: namespace demo, a server on TCP 80 labelled app=server, a client (kubectl run labels it run=client),
    // and demo-policy allowing app=client to app=server on TCP 80.
    private const string DemoPolicy = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: demo-policy
          namespace: demo
        spec:
          podSelector:
            matchLabels:
              app: server
          ingress:
          - from:
            - podSelector:
                matchLabels:
                  app: client
            ports:
            - port: 80
              protocol: TCP

        """;

    private static readonly string Server = Pod("demo", "server", "{ app: server }", "{ containerPort: 80, protocol: TCP }");

    [Fact]
    public void Seed_001_an_unlabelled_client_times_out() =>
        Assert.False(Can(DemoPolicy + Server + Pod("demo", "client", "{ run: client }"), "demo/client", "demo/server", 80));

    [Fact]
    public void Seed_001_the_client_labelled_app_client_connects_on_tcp_80_only()
    {
        var yaml = DemoPolicy + Server + Pod("demo", "client", "{ run: client, app: client }");
        Assert.True(Can(yaml, "demo/client", "demo/server", 80));
        Assert.False(Can(yaml, "demo/client", "demo/server", 443));
        Assert.False(Can(yaml, "demo/client", "demo/server", 80, "UDP"));
    }

    [Fact]
    public void Seed_001_the_verdict_names_the_policy_and_rule_that_decide()
    {
        var set = Read(DemoPolicy + Server + Pod("demo", "client", "{ run: client }"));
        var engine = new ReachabilityEngine(ClusterModel.From(set));
        var denied = engine.Evaluate(Endpoint.Of(set.Pod("demo/client")), Endpoint.Of(set.Pod("demo/server")), 80);
        Assert.Equal(["demo/demo-policy"], denied.DeniedBy);
        Assert.Contains("demo/server is isolated for ingress by demo/demo-policy", denied.Reason);

        set = Read(DemoPolicy + Server + Pod("demo", "client", "{ app: client }"));
        var allowed = new ReachabilityEngine(ClusterModel.From(set)).Evaluate(Endpoint.Of(set.Pod("demo/client")), Endpoint.Of(set.Pod("demo/server")), 80);
        Assert.Equal(["demo/demo-policy:ingress[0]"], allowed.AllowedBy);
    }

    // Seed 004's examples, in the default namespace, with an app=application-demo pod and another pod.
    private static readonly string Pods = Pod("default", "app", "{ app: application-demo }", "{ containerPort: 8080 }") + Pod("default", "other", "{ app: other }", "{ containerPort: 8080 }");

    private const string Header = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: pod-network-policy
        spec:

        """;

    [Fact]
    public void Seed_004_allow_all_to_a_pod_lets_everything_in_and_out()
    {
        var yaml = Pods + Header + "  podSelector: { matchLabels: { app: application-demo } }\n  policyTypes: [Ingress, Egress]\n  ingress: [ {} ]\n  egress: [ {} ]\n";
        Assert.True(Can(yaml, "default/other", "default/app", 8080));
        Assert.True(Can(yaml, "default/app", "default/other", 8080));
        Assert.True(Can(yaml, "203.0.113.9", "default/app", 8080));
    }

    [Fact]
    public void Seed_004_deny_all_to_a_pod_isolates_it_both_ways()
    {
        var yaml = Pods + Header + "  podSelector: { matchLabels: { app: application-demo } }\n  policyTypes: [Ingress, Egress]\n";
        Assert.False(Can(yaml, "default/other", "default/app", 8080));
        Assert.False(Can(yaml, "default/app", "default/other", 8080));
        Assert.True(Can(yaml, "default/other", "default/other", 8080));
    }

    [Fact]
    public void Seed_004_deny_all_ingress_blocks_every_pod_of_the_namespace_from_receiving_but_not_sending()
    {
        var yaml = Pods + Header + "  podSelector: {}\n  policyTypes: [Ingress]\n";
        Assert.False(Can(yaml, "default/other", "default/app", 8080));
        Assert.False(Can(yaml, "203.0.113.9", "default/app", 8080));
        Assert.True(Can(yaml, "default/app", "203.0.113.9", 443));
    }

    [Fact]
    public void Seed_004_deny_all_egress_blocks_every_pod_of_the_namespace_from_sending_but_not_receiving()
    {
        var yaml = Pods + Header + "  podSelector: {}\n  policyTypes: [Egress]\n";
        Assert.False(Can(yaml, "default/app", "default/other", 8080));
        Assert.False(Can(yaml, "default/app", "203.0.113.9", 443));
        Assert.True(Can(yaml, "203.0.113.9", "default/app", 8080));
    }
}
