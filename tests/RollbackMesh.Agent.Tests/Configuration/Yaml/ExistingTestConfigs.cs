namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>The agent.yaml files the agent's tests write (paths filled in), for the oracle comparison.</summary>
internal static class ExistingTestConfigs
{
    private const string Sandbox = "/tmp/rbm-agent-conn-abc123";

    /// <summary>Name (the test that writes it) and text.</summary>
    public static IReadOnlyList<(string Name, string Text)> All { get; } =
    [
        ("AgentOptionsValidatorTests valid", AgentOptionsValidatorTests.ValidYaml),
        ("AgentOptionsValidatorTests invalid", """
            nodeName: Not_A_Name
            roles: [server, agent, wizard]
            coordinator:
              address: http://coordinator:7443
              insecure: perhaps
            healthInterval: soon
            journalPath: relative.db
            nodname: typo
            """),
        ("AgentOptionsValidatorTests https", """
            roles: [agent]
            coordinator:
              address: https://coordinator:7443
              tls:
                ca: /nonexistent/ca.crt
            """),
        ("AgentOptionsValidatorTests insecure", "roles: [agent]\ncoordinator:\n  insecure: true\n"),
        ("AgentOptionsValidatorTokenTests token", """
            roles: [agent]
            coordinator:
              address: https://coordinator:7443
              tls:
                ca: /nonexistent/tls/ca.crt
                cert: /nonexistent/tls/node.crt
                key: /nonexistent/tls/node.key
              token: "K100123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef::tok1.s3cr3t-value"
            """),
        ("PackageManagerSettingsTests", """
            roles: [compute]
            coordinator:
              address: http://127.0.0.1:7443
              insecure: true

            backupPath: /srv/agent/backup
            packageManager:
              aptConfigFile: /srv/root/etc/apt/apt.conf
              dpkgAdminDirectory: /srv/root/var/lib/dpkg
              installRoot: /srv/root
              releaseVersion: "9 --nogpgcheck"
              dnfConfigFile: ./dnf.conf
            toolPaths:
              apt-cache: apt-cache
            """),
        ("PackageManagerSettingsTests misspelled", """
            roles: [compute]
            coordinator:
              address: http://127.0.0.1:7443
              insecure: true

            packageManager:
              installroot: /srv/root
              aptConfig: /srv/root/etc/apt/apt.conf
            """),
        ("ActionOptionsMapperTests", """
            roles: [compute]
            coordinator:
              address: http://127.0.0.1:7443
              insecure: true
            backupPath: /srv/agent/backup
            packageManager:
              aptConfigFile: /srv/root/etc/apt/apt.conf
              dpkgAdminDirectory: /srv/root/var/lib/dpkg
              installRoot: /srv/root
              releaseVersion: "8.6"
              dnfConfigFile: /srv/root/etc/dnf/dnf.conf
            toolPaths:
              apt-cache: /opt/apt/bin/apt-cache
              dnf: /opt/dnf/bin/dnf
            """),
        ("HubConnectionTests stand-in", $"""
            nodeName: node-7
            roles: [server, first-server]
            labels:
              rack: r1
            coordinator:
              address: http://127.0.0.1:41234
              insecure: true
            healthInterval: 1s
            k3sDataDir: {Sandbox}/k3s
            dataDirectories: [{Sandbox}]
            systemBusAddress: unix:path={Sandbox}/no-bus
            """),
        ("HubConnectionTests real journal", $"""
            nodeName: node-8
            roles: [agent]
            coordinator:
              address: http://127.0.0.1:41234
              insecure: true
            journalPath: {Sandbox}/journal.db
            quarantinePath: {Sandbox}/quarantine
            allowedRoots: [{Sandbox}]
            k3sDataDir: {Sandbox}/k3s
            dataDirectories: [{Sandbox}]
            systemBusAddress: unix:path={Sandbox}/no-bus
            """),
    ];
}
