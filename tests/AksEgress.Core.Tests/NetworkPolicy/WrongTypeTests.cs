using System.Net;
using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>
/// A field of the wrong type is an error with its path (the API server cannot decode the object), never a silent
/// default: a list where a port is expected must not become "every port" (issue 13, item 7).
/// </summary>
public class WrongTypeTests
{
    private static readonly string Cluster =
        Pod("a", "client", "{ app: client }", "", "10.0.1.10") + Pod("a", "server", "{ app: server }", "{ name: http, containerPort: 80 }", "10.0.1.20");

    private static string Policy(string ports) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p, namespace: a }
        spec:
          podSelector: { matchLabels: { app: server } }
          ingress:
          - ports: [ {{ports}} ]

        """;

    private static (ManifestSet Set, bool Port22) Evaluate(string yaml)
    {
        var set = Read(yaml);
        var engine = new ReachabilityEngine(ClusterModel.From(set));
        Endpoint At(string id) => Endpoint.Of(set.Pods.Single(p => p.Id == id));
        return (set, engine.Evaluate(At("a/client"), At("a/server"), 22).Allowed);
    }

    [Fact]
    public void A_port_given_as_a_list_is_an_error_and_opens_no_port()
    {
        var (set, port22) = Evaluate(Cluster + Policy("{ port: [80] }"));
        var finding = Assert.Single(set.Findings, f => f.Code == FindingCodes.InvalidValueType);
        Assert.Equal(("Error", "spec.ingress[0].ports[0].port"), (finding.Severity, finding.Path));
        Assert.False(port22);
    }

    [Fact]
    public void A_protocol_given_as_a_list_is_an_error_not_tcp()
    {
        var (set, port22) = Evaluate(Cluster + Policy("{ protocol: [TCP], port: 22 }"));
        Assert.Equal("spec.ingress[0].ports[0].protocol", Assert.Single(set.Findings, f => f.Code == FindingCodes.InvalidValueType).Path);
        Assert.False(port22);
    }

    [Fact]
    public void A_label_value_given_as_a_list_is_an_error_not_an_empty_value()
    {
        var yaml = Cluster + Policy("{ port: 80 }").Replace("{ app: server }", "{ app: [server] }");
        var set = Read(yaml);
        Assert.Equal("spec.podSelector.matchLabels.app", Assert.Single(set.Findings, f => f.Code == FindingCodes.InvalidValueType).Path);
    }

    [Fact]
    public void A_workload_whose_namespace_is_a_mapping_is_left_out_with_an_error_not_put_in_default()
    {
        var yaml = Cluster + Pod("{ x: y }", "odd", "{ app: odd }");
        var set = Read(yaml);
        Assert.Equal("metadata.namespace", Assert.Single(set.Findings, f => f.Code == FindingCodes.InvalidValueType).Path);
        Assert.DoesNotContain(set.Pods, p => p.Name == "odd");
    }
}
