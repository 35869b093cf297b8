using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// rancher-cleanup's two scripts as its repository documents them, over a file of "cluster" resources
/// (one `kind/name` per line). verify.sh prints a version banner, then every Rancher resource still present, and
/// exits 0 either way (its last command is a pipeline). cleanup.sh prints its warning banner, fails when
/// `kubectl get nodes` would (KUBECONFIG not a working file), asks "Do you want to continue (y/n)?" on stdin unless
/// its first argument is "force" (exit 1 on anything but "y"), then deletes the resources; resources listed in the
/// "stuck" file (finalizers that never clear) survive it.
/// What cleanup.sh destroys beyond that list, as rancher/rancher-cleanup's cleanup.sh does it: it deletes every
/// namespaced resource in the cattle, tools and fleet namespaces and then the namespaces themselves, so the Helm
/// release Secrets (`sh.helm.release.v1.*`) of rancher in cattle-system and of rancher-backup in
/// cattle-resources-system go with them (given <c>helmStateDir</c>, the <see cref="HelmStandIn"/> state: those
/// namespaces' directories are removed, history and all); and it deletes the cattle.io CRDs (given
/// <c>crdsFile</c>, one CRD name per line as <see cref="Kubernetes.KubectlManifestStandIn"/> reads them: every
/// *.cattle.io CRD but helm.cattle.io and k3s.cattle.io ones, which it keeps for the K3s/RKE2 add-ons, and the
/// cluster.x-k8s.io ones are removed).
/// </summary>
internal static class RancherCleanupStandIn
{
    // cleanup.sh's CATTLE_NAMESPACES, TOOLS_NAMESPACES and FLEET_NAMESPACES.
    private const string DeletedNamespaces =
        "local cattle-system cattle-impersonation-system cattle-global-data cattle-global-nt " +
        "istio-system cattle-resources-system cis-operator-system cattle-dashboards cattle-gatekeeper-system cattle-alerting " +
        "cattle-logging cattle-pipeline cattle-prometheus rancher-operator-system cattle-monitoring-system cattle-logging-system " +
        "cattle-elemental-system cattle-fleet-clusters-system cattle-fleet-local-system cattle-fleet-system fleet-default fleet-local fleet-system";

    public static void Write(string scriptsDir, string log, string stateDir, string? helmStateDir = null, string? crdsFile = null)
    {
        Sh.WriteScript(Path.Combine(scriptsDir, "verify.sh"), $$"""
            echo "verify.sh $*" >> '{{log}}'
            echo "Running verify.sh version v0.5.0"
            echo "Warning: policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+"
            cat '{{stateDir}}/resources' 2>/dev/null
            echo 'error: the server does not have a resource type "podsecuritypolicy"' >&2
            echo "" | sed -e 's/,$//'
            """);
        Sh.WriteScript(Path.Combine(scriptsDir, "cleanup.sh"), $$"""
            echo "cleanup.sh $*" >> '{{log}}'
            echo "Running cleanup.sh version v0.5.0"
            echo "==================== WARNING ===================="
            echo "THIS WILL DELETE ALL RESOURCES CREATED BY RANCHER"
            echo "==================== WARNING ===================="
            if [ ! -f "$KUBECONFIG" ]; then
              echo "'kubectl get nodes' exited non-zero, make sure environment variable KUBECONFIG is set to a working kubeconfig file"
              exit 1
            fi
            if [ "$1" != "force" ]; then
              echo "Do you want to continue (y/n)?"
              read -r answer
              if [ "$answer" != "y" ]; then
                exit 1
              fi
            fi
            while read -r resource; do echo "$resource deleted"; done < '{{stateDir}}/resources'
            cat '{{stateDir}}/stuck' > '{{stateDir}}/resources' 2>/dev/null || : > '{{stateDir}}/resources'
            if [ -n '{{helmStateDir}}' ]; then for ns in {{DeletedNamespaces}}; do rm -rf '{{helmStateDir}}'/"$ns"; done; fi
            if [ -n '{{crdsFile}}' ] && [ -f '{{crdsFile}}' ]; then grep -v -e 'cluster\.x-k8s\.io$' -e 'cattle\.io$' '{{crdsFile}}' > '{{crdsFile}}.new'; grep -e 'helm\.cattle\.io$' -e 'k3s\.cattle\.io$' '{{crdsFile}}' >> '{{crdsFile}}.new'; mv '{{crdsFile}}.new' '{{crdsFile}}'; fi
            """);
    }
}
