namespace RollbackMesh.Agent.Actions.ConfigFiles;

/// <summary>Removes and sets keys of felix.cfg (e.g. drop "DatastoreType = etcdv3", set EtcdEndpoints).</summary>
internal sealed class FelixConfigEditAction : FileEditAction
{
    private readonly IReadOnlyCollection<string> _removeKeys;
    private readonly string _removeOnlyIfValue;
    private readonly IReadOnlyDictionary<string, string> _setKeys;

    /// <summary>Creates the edit for a confined path and validated keys.</summary>
    public FelixConfigEditAction(string path, IReadOnlyCollection<string> removeKeys, string removeOnlyIfValue, IReadOnlyDictionary<string, string> setKeys)
        : base(path)
    {
        _removeKeys = removeKeys;
        _removeOnlyIfValue = removeOnlyIfValue;
        _setKeys = setKeys;
    }

    /// <inheritdoc />
    public override string Kind => "felix_config";

    /// <inheritdoc />
    protected override string Edit(string current) =>
        FelixConfigDocument.Apply(current, _removeKeys, _removeOnlyIfValue, _setKeys);
}
