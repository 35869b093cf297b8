using System.Text;

namespace RollbackMesh.Cli.Output;

/// <summary>A plain-text table: a header row and left-aligned columns two spaces apart.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add([.. cells.Select(c => c.ReplaceLineEndings(" "))]);
        return this;
    }

    public string Render()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        foreach (var row in _rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            text.Append(last ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}
