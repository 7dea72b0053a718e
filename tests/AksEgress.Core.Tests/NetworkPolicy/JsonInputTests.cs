using AksEgress.NetworkPolicy;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>
/// JSON (kubectl get -o json) is read by the JSON reader, not the YAML parser (issue 13, "Readers"), with the same
/// meaning: a string is a port name and a number a port number, literals stay literals, and findings point at
/// the line and column of the JSON text.
/// </summary>
public class JsonInputTests
{
    // Lines 1-14; the list-valued port stands on line 11, column 21 (its '[').
    private const string Policy = """
        {
          "apiVersion": "v1",
          "kind": "List",
          "items": [
            {
              "apiVersion": "networking.k8s.io/v1",
              "kind": "NetworkPolicy",
              "metadata": { "name": "p", "namespace": "a" },
              "spec": {
                "podSelector": { "matchLabels": { "app": "server" } },
                "ingress": [ { "ports": [ { "port": [80] }, { "port": "http" }, { "port": 443, "protocol": "TCP" } ] } ]
              }
            }
          ]
        }
        """;

    [Fact]
    public void A_json_list_reads_as_its_yaml_form_would_with_positions_in_the_json_text()
    {
        var set = ManifestReader.Read(Policy, "dump.json");
        var policy = Assert.Single(set.Policies);
        Assert.Equal(("a", "p"), (policy.Namespace, policy.Name));
        var wrongType = Assert.Single(set.Findings, f => f.Code == FindingCodes.InvalidValueType);
        Assert.Equal(("spec.ingress[0].ports[0].port", 11), (wrongType.Path, wrongType.Line));
        // A string is a named port, a number a port number (IntOrString); the list-valued port is dropped.
        Assert.Equal(["TCP/http", "TCP/443"], policy.Ingress.Single().Ports.Select(p => p.ToString()));
    }

    [Fact]
    public void Valid_json_nested_deeper_than_the_limit_is_refused_as_yaml_would_refuse_it()
    {
        var text = new string('[', 200) + new string(']', 200);
        var finding = Assert.Single(ManifestReader.Read(text, "deep.json").Findings);
        Assert.Contains("nests deeper than 128 levels", finding.Message);
    }

    [Fact]
    public void Yaml_flow_style_that_is_not_json_still_reads_as_yaml()
    {
        var set = ManifestReader.Read("{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p, namespace: a}, spec: {podSelector: {}}}", "flow.yaml");
        Assert.Equal("p", Assert.Single(set.Policies).Name);
    }
}
