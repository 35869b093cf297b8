using RollbackMesh.Agent.Configuration.Yaml;
using Xunit.Abstractions;

namespace RollbackMesh.Agent.Tests.Configuration.Yaml;

/// <summary>
/// Whole documents: the subset's refusals must not catch any document inside the subset, the tree built from the
/// parser's events must be the one YamlDotNet's own representation model builds (values, styles, positions), and no
/// text at all may fail other than with a position.
/// </summary>
public sealed class YamlSubsetReaderCorpusTests(ITestOutputHelper output)
{
    // RBM_YAML_ORACLE_DOCUMENTS raises the count for a longer local run.
    private static readonly int Documents = int.TryParse(Environment.GetEnvironmentVariable("RBM_YAML_ORACLE_DOCUMENTS"), out var n) ? n : 3000;

    [Fact]
    public void Read_RandomDocumentsInsideTheSubset_SameTreeAsYamlDotNet()
    {
        for (var seed = 0; seed < Documents; seed++)
        {
            var text = new YamlDocumentGenerator(seed).Generate();
            string actual;
            try
            {
                actual = YamlOracle.Subset(text);
            }
            catch (YamlSubsetException ex)
            {
                throw new InvalidOperationException($"seed {seed}: refused at {ex.Line}:{ex.Column}: {ex.Message}\n{text}", ex);
            }

            var expected = YamlOracle.LibraryOrError(text);
            Assert.True(expected == actual, $"seed {seed}\n{text}\nYamlDotNet: {expected}\nsubset:     {actual}");
        }
    }

    [Fact]
    public void Read_MutatedDocuments_ReadAsYamlDotNetReadsThemOrRefusedWithAPosition()
    {
        const string Noise = " \t:-#'\"[]{},&*!|>%@`?\\\nx~.";
        var accepted = 0;
        for (var seed = 0; seed < Documents; seed++)
        {
            var random = new Random(seed);
            var text = new YamlDocumentGenerator(seed).Generate().ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0 && text.Count > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, Noise[random.Next(Noise.Length)]);
                        break;
                    case 1:
                        text.RemoveAt(at);
                        break;
                    default:
                        text[at] = Noise[random.Next(Noise.Length)];
                        break;
                }
            }

            var mutated = new string([.. text]);
            string actual;
            try
            {
                actual = YamlOracle.Subset(mutated);
            }
            catch (YamlSubsetException ex)
            {
                // Refusing is always safe (any other exception fails the test: the loader reports, never throws).
                Assert.True(ex.Line >= 1 && ex.Column >= 1, $"seed {seed}: no position\n{mutated}");
                continue;
            }

            accepted++;
            var expected = YamlOracle.LibraryOrError(mutated);
            Assert.True(expected == actual, $"seed {seed}\n{mutated}\nYamlDotNet: {expected}\nsubset:     {actual}");
        }

        output.WriteLine($"{accepted} of {Documents} mutated documents accepted");
        Assert.InRange(accepted, Documents / 10, Documents); // the check above ran on a fair share of them
    }

    [Theory]
    [MemberData(nameof(KnownConfigs))]
    public void Read_ConfigsTheAgentTestsAndPackageUse_ReadAsMappings(string name, string text)
    {
        var actual = YamlOracle.Subset(text);

        Assert.True(YamlOracle.Library(text) == actual, name);
        Assert.StartsWith("map@", actual, StringComparison.Ordinal);
    }

    /// <summary>The packaged agent.yaml (also with its examples uncommented) and every config the agent tests write.</summary>
    public static TheoryData<string, string> KnownConfigs()
    {
        var data = new TheoryData<string, string>();
        var packaged = File.ReadAllText(PackagedAgentYaml.Path());
        data.Add("packaging/config/agent.yaml", packaged);
        data.Add("packaging/config/agent.yaml, examples uncommented", PackagedAgentYaml.Uncommented(packaged));
        foreach (var (name, text) in ExistingTestConfigs.All)
        {
            data.Add(name, text);
        }

        return data;
    }
}
