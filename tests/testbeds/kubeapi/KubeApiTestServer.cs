using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.Testbeds.KubeApi;

/// <summary>
/// A small Kubernetes API server on loopback for the real kubectl client (/usr/bin/kubectl) to talk to. It serves
/// just what the runbooks' kubectl commands use: legacy discovery (/version, /api, /apis and each group version, no
/// OpenAPI), nodes (get, list, watch, strategic/merge patch for cordon and uncordon), pods (get, list, watch,
/// delete, the policy/v1 eviction subresource drain posts), DaemonSets and Deployments (get, list, watch for
/// `rollout status` and `wait`). Everything kubectl decides itself (drain's cordon-then-evict order and filters,
/// rollout status refusing an OnDelete DaemonSet, wait's condition matching) is then real kubectl behaviour.
/// </summary>
/// <remarks>
/// What a real cluster does beyond the API objects is modelled here, in one place, with its source:
/// <list type="bullet">
/// <item>Node status and heartbeats (<see cref="PostNodeStatus"/>, <see cref="RestoreDatastore"/>): Kubernetes docs,
/// "Node status" / Heartbeats (kubernetes.io/docs/reference/node/node-status/#heartbeats): the kubelet writes
/// .status (with each condition's lastHeartbeatTime) when it starts, when the status changes, and otherwise at least
/// every nodeStatusReportFrequency (5 min); the node controller marks Ready Unknown only after
/// node-monitor-grace-period without one. A datastore restore (K3s docs, "Backup and Restore": cluster reset from a
/// snapshot) puts back the objects as the snapshot holds them, so right after it the API server serves Ready=True
/// with the snapshot's old lastHeartbeatTime and old kubeletVersion until each kubelet posts again.</item>
/// <item>Pod deletion and eviction: the pod goes at once, as if its kubelet had already finished the graceful
/// termination; <see cref="PodDeleted"/> lets a test play the DaemonSet controller that creates a replacement.</item>
/// </list>
/// </remarks>
public sealed class KubeApiTestServer : IAsyncDisposable
{
    private static readonly string[] CoreVersions = ["v1"];

    // resource -> (group version, kind, namespaced, short names, verbs)
    private static readonly Dictionary<string, ResourceType> Types = new(StringComparer.Ordinal)
    {
        ["nodes"] = new("v1", "nodes", "node", "Node", false, ["no"], ["get", "list", "patch", "update", "watch"]),
        ["pods"] = new("v1", "pods", "pod", "Pod", true, ["po"], ["delete", "get", "list", "watch"]),
        ["daemonsets"] = new("apps/v1", "daemonsets", "daemonset", "DaemonSet", true, ["ds"], ["get", "list", "patch", "watch"]),
        ["deployments"] = new("apps/v1", "deployments", "deployment", "Deployment", true, ["deploy"], ["get", "list", "patch", "watch"]),
    };

    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _events = [];
    private readonly List<string> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _resourceVersion = 1000;
    private WebApplication? _app;

    private KubeApiTestServer()
    {
    }

    /// <summary>http://127.0.0.1:PORT.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Called (outside the lock) after a pod is deleted or evicted: play the DaemonSet controller here.</summary>
    public Action<KubeApiTestServer, JsonObject>? PodDeleted { get; set; }

    /// <summary>Every request as "METHOD path?query", in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<KubeApiTestServer> StartAsync()
    {
        var server = new KubeApiTestServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        server._app = app;
        server.Url = app.Urls.Single();
        return server;
    }

    /// <summary>Writes a kubeconfig for this server to <paramref name="path"/> and returns the path.</summary>
    public string WriteKubeconfig(string path)
    {
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {Url}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            users:
            - name: test
              user: {"{}"}
            """);
        return path;
    }

    /// <summary>A node as its kubelet last reported it (Ready True/False with that heartbeat, kubelet version).</summary>
    public void AddNode(string name, bool ready, DateTimeOffset heartbeat, string kubeletVersion)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
            ["spec"] = new JsonObject(),
            ["status"] = NodeStatus(ready, heartbeat, kubeletVersion),
        };
        Put("nodes", "", node, "ADDED");
    }

    /// <summary>The kubelet on <paramref name="name"/> posts its status (see the remarks: start, change, or 5 min).</summary>
    public void PostNodeStatus(string name, bool ready, DateTimeOffset heartbeat, string kubeletVersion) =>
        Update("nodes", "", name, node => node["status"] = NodeStatus(ready, heartbeat, kubeletVersion));

    /// <summary>
    /// A datastore restore from a snapshot taken at <paramref name="snapshotTakenAt"/> on <paramref name="kubeletVersion"/>:
    /// every node reads Ready=True with the snapshot's heartbeat and version, whatever its kubelet is doing now.
    /// </summary>
    public void RestoreDatastore(DateTimeOffset snapshotTakenAt, string kubeletVersion)
    {
        foreach (var name in Names("nodes", ""))
        {
            PostNodeStatus(name, ready: true, snapshotTakenAt, kubeletVersion);
        }
    }

    /// <summary>A pod on <paramref name="node"/>, owned by a controller of <paramref name="ownerKind"/> (DaemonSet, ReplicaSet) or none.</summary>
    public void AddPod(string ns, string name, string node, IReadOnlyDictionary<string, string>? labels = null, string? ownerKind = "ReplicaSet", string? ownerName = "web-5d4f8", string phase = "Running")
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = Labels(labels) };
        if (ownerKind is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = ownerKind,
                ["name"] = ownerName,
                ["uid"] = $"uid-{ownerName}",
                ["controller"] = true,
            });
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "example" }) },
            ["status"] = new JsonObject { ["phase"] = phase },
        };
        Put("pods", ns, pod, "ADDED");
    }

    /// <summary>A DaemonSet with updateStrategy <paramref name="strategy"/> (RollingUpdate or OnDelete) and the given status counts.</summary>
    public void AddDaemonSet(string ns, string name, string strategy, int desired, int updated, int available)
    {
        var daemonSet = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["generation"] = 2 },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = name } },
                ["updateStrategy"] = new JsonObject { ["type"] = strategy },
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k8s-app"] = name } } },
            },
            ["status"] = DaemonSetStatus(desired, updated, available),
        };
        Put("daemonsets", ns, daemonSet, "ADDED");
    }

    /// <summary>The DaemonSet controller reports new counts.</summary>
    public void SetDaemonSetStatus(string ns, string name, int desired, int updated, int available) =>
        Update("daemonsets", ns, name, ds => ds["status"] = DaemonSetStatus(desired, updated, available));

    /// <summary>A Deployment with strategy <paramref name="strategy"/> (Recreate or RollingUpdate), all replicas updated and available when <paramref name="rolledOut"/>.</summary>
    public void AddDeployment(string ns, string name, string strategy, int replicas, bool rolledOut)
    {
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["generation"] = 2 },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = name } },
                ["strategy"] = new JsonObject { ["type"] = strategy },
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k8s-app"] = name } } },
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 2,
                ["replicas"] = replicas,
                ["updatedReplicas"] = rolledOut ? replicas : 0,
                ["availableReplicas"] = rolledOut ? replicas : 0,
            },
        };
        Put("deployments", ns, deployment, "ADDED");
    }

    /// <summary>The stored object (a copy), or null.</summary>
    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(resource, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Names of the stored objects of a resource in a namespace ("" for cluster-scoped).</summary>
    public IReadOnlyList<string> Names(string resource, string ns)
    {
        var prefix = Key(resource, ns, "");
        lock (_gate)
        {
            return [.. _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static JsonObject NodeStatus(bool ready, DateTimeOffset heartbeat, string kubeletVersion) => new()
    {
        ["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = ready ? "True" : "False",
            ["reason"] = ready ? "KubeletReady" : "KubeletNotReady",
            ["lastHeartbeatTime"] = Timestamp(heartbeat),
            ["lastTransitionTime"] = Timestamp(heartbeat),
        }),
        ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = kubeletVersion },
    };

    private static JsonObject DaemonSetStatus(int desired, int updated, int available) => new()
    {
        ["observedGeneration"] = 2,
        ["desiredNumberScheduled"] = desired,
        ["currentNumberScheduled"] = desired,
        ["updatedNumberScheduled"] = updated,
        ["numberAvailable"] = available,
        ["numberReady"] = available,
    };

    // Kubernetes serialises metav1.Time as RFC 3339 in whole seconds.
    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Labels(IReadOnlyDictionary<string, string>? labels)
    {
        var result = new JsonObject();
        foreach (var (k, v) in labels ?? new Dictionary<string, string>())
        {
            result[k] = v;
        }

        return result;
    }

    private static string Key(string resource, string ns, string name) => $"{resource}/{ns}/{name}";

    private void Put(string resource, string ns, JsonObject obj, string type)
    {
        lock (_gate)
        {
            var metadata = obj["metadata"]!.AsObject();
            var name = metadata["name"]!.GetValue<string>();
            var version = ++_resourceVersion;
            metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
            metadata["uid"] ??= $"uid-{resource}-{ns}-{name}-{version}";
            metadata["creationTimestamp"] ??= Timestamp(DateTimeOffset.UtcNow);
            _objects[Key(resource, ns, name)] = obj;
            _events.Add(new WatchEvent(version, resource, ns, type, (JsonObject)obj.DeepClone()));
            Signal();
        }
    }

    private bool Update(string resource, string ns, string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(Key(resource, ns, name), out var obj))
            {
                return false;
            }

            change(obj);
            Put(resource, ns, obj, "MODIFIED");
            return true;
        }
    }

    private JsonObject? Delete(string resource, string ns, string name)
    {
        JsonObject? removed;
        lock (_gate)
        {
            if (!_objects.Remove(Key(resource, ns, name), out removed))
            {
                return null;
            }

            var version = ++_resourceVersion;
            removed["metadata"]!["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
            _events.Add(new WatchEvent(version, resource, ns, "DELETED", (JsonObject)removed.DeepClone()));
            Signal();
        }

        if (resource == "pods")
        {
            PodDeleted?.Invoke(this, removed);
        }

        return removed;
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        lock (_gate)
        {
            _requests.Add($"{request.Method} {request.Path}{request.QueryString}");
        }

        var segments = request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            await RouteAsync(http, segments).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // kubectl closed a watch, or the server is stopping.
        }
    }

    private async Task RouteAsync(HttpContext http, string[] s)
    {
        var method = http.Request.Method;
        switch (s)
        {
            case ["version"]:
                await WriteAsync(http, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.4+k3s1", ["platform"] = "linux/amd64" }).ConfigureAwait(false);
                return;
            case ["api"]:
                // Plain JSON, not the aggregated discovery type kubectl asks for first: client-go then falls back
                // to legacy discovery, as it does against an older API server.
                await WriteAsync(http, 200, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray([.. CoreVersions.Select(v => (JsonNode)v)]),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = http.Request.Host.Value }),
                }).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteAsync(http, 200, new JsonObject
                {
                    ["kind"] = "APIGroupList",
                    ["apiVersion"] = "v1",
                    ["groups"] = new JsonArray(Group("apps"), Group("policy")),
                }).ConfigureAwait(false);
                return;
            case ["api", "v1"]:
                await WriteAsync(http, 200, ResourceList("v1", [.. Types.Values.Where(t => t.GroupVersion == "v1").Select(ApiResource), EvictionResource()])).ConfigureAwait(false);
                return;
            case ["apis", "apps", "v1"]:
                await WriteAsync(http, 200, ResourceList("apps/v1", [.. Types.Values.Where(t => t.GroupVersion == "apps/v1").Select(ApiResource)])).ConfigureAwait(false);
                return;
            case ["apis", "policy", "v1"]:
                await WriteAsync(http, 200, ResourceList("policy/v1", [])).ConfigureAwait(false);
                return;
        }

        var (groupVersion, rest) = s switch
        {
            ["api", "v1", .. var r] => ("v1", r),
            ["apis", "apps", "v1", .. var r] => ("apps/v1", r),
            _ => ("", Array.Empty<string>()),
        };
        var (ns, resource, name, sub) = rest switch
        {
            ["namespaces", var n, var r] => (n, r, "", ""),
            ["namespaces", var n, var r, var o] => (n, r, o, ""),
            ["namespaces", var n, var r, var o, var x] => (n, r, o, x),
            [var r] => ("", r, "", ""),
            [var r, var o] => ("", r, o, ""),
            _ => ("", "", "", ""),
        };
        if (!Types.TryGetValue(resource, out var type) || type.GroupVersion != groupVersion)
        {
            await WriteStatusAsync(http, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        var allNamespaces = type.Namespaced && rest is [_] ;
        if (!type.Namespaced && ns.Length > 0 || type.Namespaced && ns.Length == 0 && !allNamespaces)
        {
            await WriteStatusAsync(http, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        switch (method, name.Length > 0, sub)
        {
            case ("GET", false, "") when IsWatch(http.Request):
                await WatchAsync(http, type, ns, allNamespaces).ConfigureAwait(false);
                return;
            case ("GET", false, ""):
                await WriteAsync(http, 200, List(http.Request, type, ns, allNamespaces)).ConfigureAwait(false);
                return;
            case ("GET", true, ""):
                await WriteObjectOrNotFoundAsync(http, type, name, Get(resource, ns, name)).ConfigureAwait(false);
                return;
            case ("PATCH", true, ""):
                await PatchAsync(http, type, ns, name).ConfigureAwait(false);
                return;
            case ("DELETE", true, ""):
                await WriteObjectOrNotFoundAsync(http, type, name, Delete(resource, ns, name)).ConfigureAwait(false);
                return;
            case ("POST", true, "eviction") when resource == "pods":
                await EvictAsync(http, ns, name).ConfigureAwait(false);
                return;
            default:
                await WriteStatusAsync(http, 405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method} {resource} {sub})").ConfigureAwait(false);
                return;
        }
    }

    private async Task PatchAsync(HttpContext http, ResourceType type, string ns, string name)
    {
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal)
            && !contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
        {
            await WriteStatusAsync(http, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/strategic-merge-patch+json, application/merge-patch+json (got {contentType})").ConfigureAwait(false);
            return;
        }

        // For the fields kubectl cordon/uncordon patch ({"spec":{"unschedulable":true|null}}) a strategic merge
        // patch means the same as a JSON merge patch (RFC 7386): objects merge, null removes.
        var patch = (await JsonNode.ParseAsync(http.Request.Body).ConfigureAwait(false))!.AsObject();
        var found = Update(type.Resource, ns, name, obj => MergePatch(obj, patch));
        await WriteObjectOrNotFoundAsync(http, type, name, found ? Get(type.Resource, ns, name) : null).ConfigureAwait(false);
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private async Task EvictAsync(HttpContext http, string ns, string name)
    {
        var eviction = await JsonNode.ParseAsync(http.Request.Body).ConfigureAwait(false);
        if (eviction?["kind"]?.GetValue<string>() != "Eviction" || eviction["apiVersion"]?.GetValue<string>() != "policy/v1")
        {
            await WriteStatusAsync(http, 400, "BadRequest", "expected a policy/v1 Eviction").ConfigureAwait(false);
            return;
        }

        if (Delete("pods", ns, name) is null)
        {
            await WriteStatusAsync(http, 404, "NotFound", $"pods \"{name}\" not found", name, "pods").ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, 201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 }).ConfigureAwait(false);
    }

    private JsonObject List(HttpRequest request, ResourceType type, string ns, bool allNamespaces)
    {
        lock (_gate)
        {
            var items = Matching(request, type, ns, allNamespaces, _objects.Where(kv => kv.Key.StartsWith($"{type.Resource}/", StringComparison.Ordinal)).Select(kv => kv.Value));
            return new JsonObject
            {
                ["kind"] = $"{type.Kind}List",
                ["apiVersion"] = type.GroupVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]),
            };
        }
    }

    private static IEnumerable<JsonObject> Matching(HttpRequest request, ResourceType type, string ns, bool allNamespaces, IEnumerable<JsonObject> objects)
    {
        var fields = Terms(request.Query["fieldSelector"]);
        var labels = Terms(request.Query["labelSelector"]);
        return objects
            .Where(o => !type.Namespaced || allNamespaces || o["metadata"]?["namespace"]?.GetValue<string>() == ns)
            .Where(o => fields.All(f => Field(o, f.Key) == f.Value))
            .Where(o => labels.All(l => o["metadata"]?["labels"]?[l.Key]?.GetValue<string>() == l.Value))
            .OrderBy(o => o["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    // Only equality terms (k=v, k==v), which is all the runbooks' kubectl commands send.
    private static List<KeyValuePair<string, string>> Terms(string? selector) =>
        [.. (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Replace("==", "=", StringComparison.Ordinal).Split('=', 2))
            .Select(p => p.Length == 2 ? new KeyValuePair<string, string>(p[0], p[1]) : throw new InvalidOperationException($"unsupported selector term '{string.Join('=', p)}'"))];

    private static string? Field(JsonObject obj, string path) => path switch
    {
        "metadata.name" => obj["metadata"]?["name"]?.GetValue<string>(),
        "metadata.namespace" => obj["metadata"]?["namespace"]?.GetValue<string>(),
        "spec.nodeName" => obj["spec"]?["nodeName"]?.GetValue<string>(),
        _ => throw new InvalidOperationException($"unsupported field selector '{path}'"),
    };

    private static bool IsWatch(HttpRequest request) => request.Query["watch"] is var w && (w == "true" || w == "1");

    private async Task WatchAsync(HttpContext http, ResourceType type, string ns, bool allNamespaces)
    {
        var request = http.Request;
        var since = long.TryParse(request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var rv) ? rv : _resourceVersion;
        var seconds = int.TryParse(request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) ? Math.Min(t, 60) : 60;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            while (true)
            {
                List<WatchEvent> pending;
                Task changed;
                lock (_gate)
                {
                    pending = [.. _events.Where(e => e.Version > since && e.Resource == type.Resource)];
                    changed = _changed.Task;
                }

                foreach (var e in pending)
                {
                    since = e.Version;
                    if (Matching(request, type, ns, allNamespaces, [e.Object]).Any())
                    {
                        var line = new JsonObject { ["type"] = e.Type, ["object"] = e.Object.DeepClone() }.ToJsonString() + "\n";
                        await http.Response.WriteAsync(line, timeout.Token).ConfigureAwait(false);
                        await http.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
                    }
                }

                await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            // timeoutSeconds reached: the watch ends normally and client-go starts another one.
        }
    }

    private static async Task WriteObjectOrNotFoundAsync(HttpContext http, ResourceType type, string name, JsonObject? obj)
    {
        if (obj is null)
        {
            await WriteStatusAsync(http, 404, "NotFound", $"{type.Resource} \"{name}\" not found", name, type.Resource).ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, 200, obj).ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(HttpContext http, int code, string reason, string message, string? name = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        }

        return WriteAsync(http, code, status);
    }

    private static async Task WriteAsync(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8).ConfigureAwait(false);
    }

    private static JsonObject Group(string name) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{name}/v1", ["version"] = "v1" }),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/v1", ["version"] = "v1" },
    };

    private static JsonObject ResourceList(string groupVersion, JsonObject[] resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray([.. resources]),
    };

    private static JsonObject ApiResource(ResourceType type) => new()
    {
        ["name"] = type.Resource,
        ["singularName"] = type.Singular,
        ["namespaced"] = type.Namespaced,
        ["kind"] = type.Kind,
        ["verbs"] = new JsonArray([.. type.Verbs.Select(v => (JsonNode)v)]),
        ["shortNames"] = new JsonArray([.. type.ShortNames.Select(v => (JsonNode)v)]),
    };

    // kubectl drain looks for this entry (group and version set) to decide it may evict through policy/v1.
    private static JsonObject EvictionResource() => new()
    {
        ["name"] = "pods/eviction",
        ["singularName"] = "",
        ["namespaced"] = true,
        ["group"] = "policy",
        ["version"] = "v1",
        ["kind"] = "Eviction",
        ["verbs"] = new JsonArray("create"),
    };

    private sealed record ResourceType(string GroupVersion, string Resource, string Singular, string Kind, bool Namespaced, string[] ShortNames, string[] Verbs);

    private sealed record WatchEvent(long Version, string Resource, string Namespace, string Type, JsonObject Object);
}
