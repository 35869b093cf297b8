using System.Runtime.Versioning;

// These tests drive dbus-daemon and systemd over unix sockets: they only run on Linux.
[assembly: SupportedOSPlatform("linux")]
