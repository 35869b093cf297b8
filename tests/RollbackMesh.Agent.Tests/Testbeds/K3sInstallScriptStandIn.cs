namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Stand-in for K3s's install.sh (get.k3s.io; k3s-io/k3s install.sh: systemd_disable, create_env_file,
/// create_systemd_service_file). It does what the real script does to an installed node's service files, the
/// destructive part included: it deletes the unit and its .env, writes the .env afresh with only the K3S_* and
/// CONTAINERD_* variables (and proxy variables) of its own environment, and writes the unit with
/// <c>ExecStart=BIN_DIR/k3s CMD</c> where CMD comes from INSTALL_K3S_EXEC alone (server -> k3s.service,
/// agent -> k3s-agent.service). So run for a rollback it drops K3S_URL, K3S_TOKEN, --server and every other flag the
/// node was installed with. INSTALL_K3S_SYSTEMD_DIR and INSTALL_K3S_BIN_DIR are honoured as in the real script.
/// Each run appends its INSTALL_K3S_EXEC to the log. The systemd directory defaults to <paramref name="systemdDir"/>
/// (the real default is /etc/systemd/system) so a test never touches the machine's units.
/// </summary>
internal static class K3sInstallScriptStandIn
{
    public static void Write(string path, string log, string systemdDir) => Sh.WriteScript(path, $$"""
        set -e
        echo "install.sh ${INSTALL_K3S_EXEC}" >> '{{log}}'
        set -- ${INSTALL_K3S_EXEC}
        case "$1" in -*|"") cmd=server;; *) cmd=$1; shift;; esac
        if [ "$cmd" = server ]; then name=k3s; else name=k3s-$cmd; fi
        dir=${INSTALL_K3S_SYSTEMD_DIR:-'{{systemdDir}}'}
        bin=${INSTALL_K3S_BIN_DIR:-/usr/local/bin}
        rm -f "$dir/$name.service" "$dir/$name.service.env"
        touch "$dir/$name.service.env"; chmod 0600 "$dir/$name.service.env"
        env | grep -E '^(K3S|CONTAINERD)_' > "$dir/$name.service.env" || true
        env | grep -Ei '^(NO|HTTP|HTTPS)_PROXY' >> "$dir/$name.service.env" || true
        {
          printf '[Unit]\nDescription=Lightweight Kubernetes\n\n[Service]\nType=notify\n'
          printf 'EnvironmentFile=-%s\n' "$dir/$name.service.env"
          printf 'ExecStart=%s/k3s %s' "$bin" "$cmd"
          for arg in "$@"; do printf " '%s'" "$arg"; done
          printf '\n'
        } > "$dir/$name.service"
        """);
}
