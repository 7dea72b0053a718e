using AksEgress.Diagnostics;
using System.Net;
using AksEgress.NetworkPolicy;

namespace AksEgress.Core.Tests.NetworkPolicy;

internal static class Manifests
{
    public static ManifestSet Read(string yaml) => ManifestReader.Read(yaml, "test.yaml");

    public static ReachabilityEngine Engine(string yaml, PolicyEngine? engine = null)
    {
        var set = Read(yaml);
        Assert.DoesNotContain(set.Findings, f => f.SeverityValue == FindingSeverity.Error);
        return new ReachabilityEngine(ClusterModel.From(set), engine);
    }

    public static WorkloadPod Pod(this ManifestSet set, string id) => set.Pods.Single(p => p.Id == id);

    public static bool Can(string yaml, string from, string to, int port, string protocol = "TCP", PolicyEngine? engine = null)
    {
        var set = Read(yaml);
        Assert.DoesNotContain(set.Findings, f => f.SeverityValue == FindingSeverity.Error);
        var engineUnderTest = new ReachabilityEngine(ClusterModel.From(set), engine);
        Endpoint End(string x) => IPAddress.TryParse(x, out var ip) ? Endpoint.Of(ip) : Endpoint.Of(set.Pod(x));
        return engineUnderTest.Evaluate(End(from), End(to), port, protocol).Allowed;
    }

    public static string Pod(string ns, string name, string labels, string ports = "", string ip = "", bool hostNetwork = false) => $"""
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels: {labels}
        spec:
          hostNetwork: {(hostNetwork ? "true" : "false")}
          containers:
          - name: c
            image: agnhost
            ports: [{ports}]
        status:
          podIP: "{ip}"

        """;

    public static string Namespace(string name, string labels) => $"""
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
          labels: {labels}

        """;
}
