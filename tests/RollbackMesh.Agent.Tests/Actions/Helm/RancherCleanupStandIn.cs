using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// rancher-cleanup's two scripts as its repository documents them, over a file of "cluster" resources
/// (one `kind/name` per line). verify.sh prints a version banner, then every Rancher resource still present, and
/// exits 0 either way (its last command is a pipeline). cleanup.sh prints its warning banner, fails when
/// `kubectl get nodes` would (KUBECONFIG not a working file), asks "Do you want to continue (y/n)?" on stdin unless
/// its first argument is "force" (exit 1 on anything but "y"), then deletes the resources; resources listed in the
/// "stuck" file (finalizers that never clear) survive it.
/// </summary>
internal static class RancherCleanupStandIn
{
    public static void Write(string scriptsDir, string log, string stateDir)
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
            """);
    }
}
