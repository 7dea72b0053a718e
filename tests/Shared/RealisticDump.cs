using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AksEgress.Testing;

/// <summary>
/// What `kubectl get namespaces,deployments,statefulsets,daemonsets,jobs,pods,networkpolicies -A -o yaml` (or -o json)
/// prints for a realistic cluster: namespaces of teams; Deployments whose pods carry their ReplicaSet's
/// pod-template-hash and unique names; StatefulSets whose pods are name-0, name-1 with their pod-name label; DaemonSets
/// (some hostNetwork) with a pod per node; Jobs; every pod with ownerReferences and its own address; and NetworkPolicies
/// as teams write them (default deny, allow from the same application, from the ingress namespace, DNS egress, ...).
/// Seeded, so a benchmark reads the same text every time.
/// </summary>
public static class RealisticDump
{
    private static readonly string[] Systems = ["shop", "billing", "search", "identity", "catalog", "orders", "media", "analytics"];
    private static readonly string[] Roles = ["web", "api", "worker", "cache", "db", "queue", "gateway", "cron"];

    public static string Yaml(int seed, int pods, int policies) => ToYaml(Objects(seed, pods, policies));

    public static string Json(int seed, int pods, int policies) =>
        JsonSerializer.Serialize(Objects(seed, pods, policies), new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The dump as one List object, in the nested dictionaries and lists that both serialisations take.</summary>
    public static Dictionary<string, object> Objects(int seed, int pods, int policies)
    {
        var random = new Random(seed);
        var items = new List<object>();
        var namespaces = Math.Max(2, pods / 100);
        var nodes = Math.Max(3, pods / 300);
        var podCount = 0;
        var policyCount = 0;
        var uid = 0;
        string Hash(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "bcdfghjklmnpqrstvwxz2456789"[random.Next(27)]));
        string Ip() => $"10.{(podCount >> 16) & 255}.{(podCount >> 8) & 255}.{podCount & 255}";

        for (var n = 0; n < namespaces; n++)
        {
            var system = Systems[n % Systems.Length];
            var ns = n == 0 ? "ingress-nginx" : $"{system}-{n}";
            items.Add(Obj("v1", "Namespace", ns, null, new() { ["kubernetes.io/metadata.name"] = ns, ["team"] = $"team-{n % 12}", ["env"] = n % 3 == 0 ? "prod" : "staging" }));
        }

        for (var n = 0; podCount < pods; n = (n + 1) % namespaces)
        {
            var ns = n == 0 ? "ingress-nginx" : $"{Systems[n % Systems.Length]}-{n}";
            var system = n == 0 ? "ingress" : Systems[n % Systems.Length];
            var role = Roles[random.Next(Roles.Length)];
            var name = $"{system}-{role}-{Hash(3)}";
            var labels = new Dictionary<string, string>
            {
                ["app"] = name, ["app.kubernetes.io/name"] = name, ["app.kubernetes.io/part-of"] = system, ["tier"] = role is "db" or "cache" or "queue" ? "data" : role is "web" or "gateway" ? "front" : "back",
                ["version"] = $"v{1 + random.Next(3)}",
            };
            var port = role == "db" ? 5432 : role == "cache" ? 6379 : 8080;
            var kind = random.Next(20) switch { < 13 => "Deployment", < 16 => "StatefulSet", < 17 => "DaemonSet", _ => "Job" };
            var replicas = kind switch { "Deployment" => 2 + random.Next(14), "StatefulSet" => 3, "DaemonSet" => nodes, _ => 1 };
            var hostNetwork = kind == "DaemonSet" && random.Next(2) == 0;
            var template = new Dictionary<string, object> { ["metadata"] = new Dictionary<string, object> { ["labels"] = labels }, ["spec"] = PodSpec(port, hostNetwork) };
            items.Add(new Dictionary<string, object>
            {
                ["apiVersion"] = kind == "Job" ? "batch/v1" : "apps/v1", ["kind"] = kind,
                ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = ns, ["uid"] = $"u{uid++}", ["labels"] = labels },
                ["spec"] = new Dictionary<string, object> { ["selector"] = new Dictionary<string, object> { ["matchLabels"] = new Dictionary<string, string> { ["app"] = name } }, ["template"] = template },
            });

            var hash = Hash(10);
            for (var r = 0; r < replicas && podCount < pods; r++, podCount++)
            {
                var podLabels = new Dictionary<string, string>(labels);
                string podName, ownerKind, ownerName;
                switch (kind)
                {
                    case "Deployment":
                        podLabels["pod-template-hash"] = hash;
                        (podName, ownerKind, ownerName) = ($"{name}-{hash}-{Hash(5)}", "ReplicaSet", $"{name}-{hash}");
                        break;
                    case "StatefulSet":
                        podLabels["controller-revision-hash"] = $"{name}-{hash}";
                        podLabels["statefulset.kubernetes.io/pod-name"] = $"{name}-{r}";
                        (podName, ownerKind, ownerName) = ($"{name}-{r}", kind, name);
                        break;
                    case "DaemonSet":
                        podLabels["controller-revision-hash"] = hash;
                        podLabels["pod-template-generation"] = "1";
                        (podName, ownerKind, ownerName) = ($"{name}-{Hash(5)}", kind, name);
                        break;
                    default:
                        podLabels["batch.kubernetes.io/job-name"] = name;
                        podLabels["batch.kubernetes.io/controller-uid"] = $"u{uid}";
                        (podName, ownerKind, ownerName) = ($"{name}-{Hash(5)}", kind, name);
                        break;
                }

                var pod = Obj("v1", "Pod", podName, ns, podLabels);
                ((Dictionary<string, object>)pod["metadata"])["ownerReferences"] = new List<object>
                {
                    new Dictionary<string, object> { ["apiVersion"] = ownerKind == "Job" ? "batch/v1" : "apps/v1", ["kind"] = ownerKind, ["name"] = ownerName, ["uid"] = $"u{uid++}", ["controller"] = true },
                };
                var podIp = hostNetwork ? $"10.224.0.{4 + r}" : Ip();
                var spec = PodSpec(port, hostNetwork);
                Bulk((Dictionary<string, object>)pod["metadata"], spec, podIp, podCount, nodes);
                pod["spec"] = spec;
                pod["status"] = Status(podIp, podCount, nodes);
                items.Add(pod);
            }

            // The policies teams write for their applications, until the count asked for.
            foreach (var policy in Policies(random, ns, system, name, role, port, policies - policyCount).Take(Math.Max(0, policies - policyCount)))
            {
                items.Add(policy);
                policyCount++;
            }
        }

        for (var n = 1; policyCount < policies; n = (n + 1) % namespaces, policyCount++)
        {
            var ns = n == 0 ? "ingress-nginx" : $"{Systems[n % Systems.Length]}-{n}";
            items.Add(Policy($"allow-monitoring-{policyCount}", ns, new(), [Ingress([new() { ["namespaceSelector"] = Match("team", $"team-{n % 12}") }], 9090)], []));
        }

        return new Dictionary<string, object> { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
    }

    private static IEnumerable<Dictionary<string, object>> Policies(Random random, string ns, string system, string app, string role, int port, int left)
    {
        if (left <= 0)
        {
            yield break;
        }

        if (random.Next(4) == 0)
        {
            yield return Policy($"default-deny-{random.Next(100_000)}", ns, new(), [], [], ["Ingress"]);
        }

        // Ingress to the application from its own system, and for the front ends from the ingress controller.
        var from = new List<Dictionary<string, object>> { new() { ["podSelector"] = Match("app.kubernetes.io/part-of", system) } };
        if (role is "web" or "gateway")
        {
            from.Add(new() { ["namespaceSelector"] = Match("kubernetes.io/metadata.name", "ingress-nginx"), ["podSelector"] = Match("app.kubernetes.io/name", "ingress-nginx") });
        }

        yield return Policy($"{app}-ingress", ns, Match("app", app), [Ingress(from, port)], []);
        if (random.Next(3) == 0)
        {
            // Egress isolation with DNS and the data tier of the same system.
            var egress = new List<object>
            {
                new Dictionary<string, object> { ["to"] = new List<object> { new Dictionary<string, object> { ["podSelector"] = new Dictionary<string, object> { ["matchExpressions"] = new List<object> {
                    new Dictionary<string, object> { ["key"] = "tier", ["operator"] = "In", ["values"] = new List<string> { "data" } } } } } },
                    ["ports"] = new List<object> { new Dictionary<string, object> { ["port"] = 5432 }, new Dictionary<string, object> { ["port"] = 6379 } } },
                new Dictionary<string, object> { ["to"] = new List<object> { new Dictionary<string, object> { ["namespaceSelector"] = new Dictionary<string, object>(), ["podSelector"] = Match("k8s-app", "kube-dns") } },
                    ["ports"] = new List<object> { new Dictionary<string, object> { ["port"] = 53, ["protocol"] = "UDP" } } },
            };
            yield return Policy($"{app}-egress", ns, Match("app", app), [], egress, ["Egress"]);
        }
    }

    /// <summary>What kubectl prints besides the fields the reader uses, so that the text is as large as a real dump's (~4 KB a pod).</summary>
    private static void Bulk(Dictionary<string, object> metadata, Dictionary<string, object> spec, string ip, int n, int nodes)
    {
        metadata["creationTimestamp"] = $"2026-11-{1 + (n % 27):00}T{n % 24:00}:{n % 60:00}:{(n * 7) % 60:00}Z";
        metadata["resourceVersion"] = (1_000_000 + n).ToString(CultureInfo.InvariantCulture);
        metadata["uid"] = $"{n:x8}-1c2d-4e5f-8a9b-{n * 31:x12}";
        metadata["annotations"] = new Dictionary<string, string>
        {
            ["kubectl.kubernetes.io/restartedAt"] = "2026-11-20T08:00:00Z", ["prometheus.io/scrape"] = "true", ["prometheus.io/port"] = "9090",
        };
        var container = (Dictionary<string, object>)((List<object>)spec["containers"])[0];
        container["imagePullPolicy"] = "IfNotPresent";
        container["env"] = Enumerable.Range(0, 6).Select(i => (object)new Dictionary<string, object> { ["name"] = $"SETTING_{i}", ["value"] = $"value-{i}-{n % 97}" }).ToList();
        container["resources"] = new Dictionary<string, object>
        {
            ["requests"] = new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" }, ["limits"] = new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi" },
        };
        container["volumeMounts"] = new List<object>
        {
            new Dictionary<string, object> { ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["name"] = $"kube-api-access-{n % 1000:000}", ["readOnly"] = true },
            new Dictionary<string, object> { ["mountPath"] = "/etc/config", ["name"] = "config" },
        };
        container["readinessProbe"] = new Dictionary<string, object> { ["httpGet"] = new Dictionary<string, object> { ["path"] = "/healthz", ["port"] = "http", ["scheme"] = "HTTP" }, ["periodSeconds"] = 10 };
        container["terminationMessagePath"] = "/dev/termination-log";
        container["terminationMessagePolicy"] = "File";
        spec["dnsPolicy"] = "ClusterFirst";
        spec["nodeName"] = $"aks-nodepool1-12345678-vmss{n % nodes:000000}";
        spec["restartPolicy"] = "Always";
        spec["schedulerName"] = "default-scheduler";
        spec["serviceAccountName"] = "default";
        spec["terminationGracePeriodSeconds"] = 30;
        spec["tolerations"] = new List<object>
        {
            new Dictionary<string, object> { ["effect"] = "NoExecute", ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["tolerationSeconds"] = 300 },
            new Dictionary<string, object> { ["effect"] = "NoExecute", ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["tolerationSeconds"] = 300 },
        };
        spec["volumes"] = new List<object>
        {
            new Dictionary<string, object> { ["name"] = "config", ["configMap"] = new Dictionary<string, object> { ["name"] = "app-config", ["defaultMode"] = 420 } },
        };
    }

    private static Dictionary<string, object> Status(string ip, int n, int nodes) => new()
    {
        ["phase"] = "Running", ["hostIP"] = $"10.224.0.{4 + (n % nodes)}", ["podIP"] = ip,
        ["podIPs"] = new List<object> { new Dictionary<string, object> { ["ip"] = ip } }, ["qosClass"] = "Burstable", ["startTime"] = "2026-11-20T08:00:05Z",
        ["conditions"] = new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" }
            .Select(t => (object)new Dictionary<string, object> { ["lastProbeTime"] = "null-time", ["lastTransitionTime"] = "2026-11-20T08:00:09Z", ["status"] = "True", ["type"] = t }).ToList(),
        ["containerStatuses"] = new List<object>
        {
            new Dictionary<string, object>
            {
                ["containerID"] = $"containerd://{n:x16}{n * 13:x16}{n * 17:x16}{n * 19:x16}", ["image"] = "contoso.azurecr.io/app:1.0",
                ["imageID"] = $"contoso.azurecr.io/app@sha256:{n * 23:x16}{n * 29:x16}{n * 37:x16}{n * 41:x16}", ["name"] = "main", ["ready"] = true, ["restartCount"] = 0, ["started"] = true,
                ["state"] = new Dictionary<string, object> { ["running"] = new Dictionary<string, object> { ["startedAt"] = "2026-11-20T08:00:08Z" } },
            },
        },
    };

    private static Dictionary<string, object> Ingress(List<Dictionary<string, object>> from, int port) => new()
    {
        ["from"] = from.Cast<object>().ToList(), ["ports"] = new List<object> { new Dictionary<string, object> { ["port"] = port, ["protocol"] = "TCP" } },
    };

    private static Dictionary<string, object> Policy(string name, string ns, Dictionary<string, object> podSelector, List<Dictionary<string, object>> ingress, List<object> egress, List<string>? types = null)
    {
        var spec = new Dictionary<string, object> { ["podSelector"] = podSelector };
        if (ingress.Count > 0)
        {
            spec["ingress"] = ingress.Cast<object>().ToList();
        }

        if (egress.Count > 0)
        {
            spec["egress"] = egress;
        }

        spec["policyTypes"] = types ?? ["Ingress"];
        return new Dictionary<string, object>
        {
            ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "NetworkPolicy",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = ns }, ["spec"] = spec,
        };
    }

    private static Dictionary<string, object> Match(string key, string value) => new() { ["matchLabels"] = new Dictionary<string, string> { [key] = value } };

    private static Dictionary<string, object> PodSpec(int port, bool hostNetwork)
    {
        var spec = new Dictionary<string, object>
        {
            ["containers"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["name"] = "main", ["image"] = "contoso.azurecr.io/app:1.0",
                    ["ports"] = new List<object>
                    {
                        new Dictionary<string, object> { ["name"] = "http", ["containerPort"] = port, ["protocol"] = "TCP" },
                        new Dictionary<string, object> { ["name"] = "metrics", ["containerPort"] = 9090, ["protocol"] = "TCP" },
                    },
                },
            },
        };
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
        }

        return spec;
    }

    private static Dictionary<string, object> Obj(string apiVersion, string kind, string name, string? ns, Dictionary<string, string> labels)
    {
        var metadata = new Dictionary<string, object> { ["name"] = name, ["labels"] = labels };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new Dictionary<string, object> { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    /// <summary>Block-style YAML as kubectl prints it: two-space indents, lists of mappings with "- ", strings quoted when needed.</summary>
    private static string ToYaml(object root)
    {
        var text = new StringBuilder();
        void Scalar(object value) => text.Append(value switch
        {
            bool b => b ? "true" : "false",
            int i => i.ToString(CultureInfo.InvariantCulture),
            string s when s.Length == 0 || s.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@']) >= 0 || s is "true" or "false" or "null" || char.IsDigit(s[0]) => "\"" + s.Replace("\"", "\\\"") + "\"",
            _ => value.ToString(),
        });
        void Write(object value, int indent, bool inList)
        {
            var pad = new string(' ', indent);
            switch (value)
            {
                case System.Collections.IDictionary map when map.Count == 0:
                    text.Append(" {}\n");
                    break;
                case System.Collections.IDictionary map:
                    var first = true;
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        if (!(inList && first))
                        {
                            text.Append(pad);
                        }

                        first = false;
                        text.Append(entry.Key).Append(':');
                        if (entry.Value is System.Collections.IDictionary { Count: > 0 } or System.Collections.IList { Count: > 0 })
                        {
                            text.Append('\n');
                            Write(entry.Value, indent + 2, false);
                        }
                        else if (entry.Value is System.Collections.IList)
                        {
                            text.Append(" []\n");
                        }
                        else if (entry.Value is System.Collections.IDictionary)
                        {
                            text.Append(" {}\n");
                        }
                        else
                        {
                            text.Append(' ');
                            Scalar(entry.Value!);
                            text.Append('\n');
                        }
                    }

                    break;
                case System.Collections.IList list:
                    foreach (var item in list)
                    {
                        text.Append(pad).Append("- ");
                        if (item is System.Collections.IDictionary { Count: > 0 })
                        {
                            Write(item, indent + 2, true);
                        }
                        else
                        {
                            Scalar(item!);
                            text.Append('\n');
                        }
                    }

                    break;
            }
        }

        Write(root, 0, false);
        return text.ToString();
    }
}
