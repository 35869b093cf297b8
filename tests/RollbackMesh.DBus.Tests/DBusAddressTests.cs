namespace RollbackMesh.DBus.Tests;

public sealed class DBusAddressTests
{
    [Fact]
    public void Parse_UnixPath_ReturnsPathEndpoint()
    {
        var endpoint = Assert.Single(DBusAddress.Parse("unix:path=/run/dbus/system_bus_socket"));
        Assert.Equal("/run/dbus/system_bus_socket", endpoint.ToString());
    }

    [Fact]
    public void Parse_UnixAbstract_ReturnsNulPrefixedName()
    {
        var endpoint = Assert.Single(DBusAddress.Parse("unix:abstract=/tmp/dbus-x,guid=0123"));
        Assert.StartsWith("@/tmp/dbus-x", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EscapedPathAndSeveralEntries_UnescapesAndKeepsOrder()
    {
        var endpoints = DBusAddress.Parse("tcp:host=x,port=1;unix:path=/tmp/a%20b;unix:path=/c");
        Assert.Equal(["/tmp/a b", "/c"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_NoUsableEntry_ThrowsNamingTheProblem()
    {
        var ex = Assert.Throws<FormatException>(() => DBusAddress.Parse("tcp:host=localhost,port=1"));
        Assert.Contains("tcp", ex.Message, StringComparison.Ordinal);
    }
}
