namespace Actors.GraphQL.Language.Validation;

/// <summary>"Did you mean ...?" hints, ranked like graphql-js (<c>suggestionList</c>, <c>didYouMean</c>).</summary>
public static class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>Options close to the input by edit distance (a case change counts as one edit), closest first.</summary>
    public static List<string> List(string input, IEnumerable<string> options)
    {
        var threshold = (int)Math.Floor(input.Length * 0.4) + 1;
        var inputLower = input.ToLowerInvariant();
        var byDistance = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var distance = Measure(input, inputLower, option, threshold);
            if (distance is { } d) byDistance.TryAdd(option, d);
        }
        var result = byDistance.Keys.ToList();
        result.Sort((a, b) =>
        {
            var diff = byDistance[a] - byDistance[b];
            return diff != 0 ? diff : NaturalCompare(a, b);
        });
        return result;
    }

    /// <summary><c> Did you mean "a", "b", or "c"?</c>, or empty when there is nothing to suggest.</summary>
    public static string DidYouMean(IReadOnlyList<string> suggestions) => DidYouMean(null, suggestions);

    public static string DidYouMean(string? subMessage, IReadOnlyList<string> suggestions)
    {
        if (suggestions.Count == 0) return "";
        var message = " Did you mean " + (subMessage is null ? "" : subMessage + " ");
        var quoted = suggestions.Take(MaxSuggestions).Select(s => $"\"{s}\"").ToList();
        return quoted.Count switch
        {
            1 => message + quoted[0] + "?",
            2 => message + quoted[0] + " or " + quoted[1] + "?",
            _ => message + string.Join(", ", quoted.Take(quoted.Count - 1)) + ", or " + quoted[^1] + "?",
        };
    }

    /// <summary>Compares strings with digit runs compared as numbers (graphql-js <c>naturalCompare</c>).</summary>
    public static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var ca = a[i];
            var cb = b[j];
            if (char.IsAsciiDigit(ca) && char.IsAsciiDigit(cb))
            {
                var startA = i;
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                var startB = j;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                var na = double.Parse(a.AsSpan(startA, i - startA), provider: System.Globalization.CultureInfo.InvariantCulture);
                var nb = double.Parse(b.AsSpan(startB, j - startB), provider: System.Globalization.CultureInfo.InvariantCulture);
                if (na != nb) return na < nb ? -1 : 1;
            }
            else
            {
                if (ca != cb) return ca < cb ? -1 : 1;
                i++;
                j++;
            }
        }
        return (a.Length - i).CompareTo(b.Length - j);
    }

    private static int? Measure(string input, string inputLower, string option, int threshold)
    {
        if (input == option) return 0;
        var optionLower = option.ToLowerInvariant();
        if (inputLower == optionLower) return 1;
        var a = optionLower;
        var b = inputLower;
        if (a.Length < b.Length) (a, b) = (b, a);
        if (a.Length - b.Length > threshold) return null;
        var rows = new int[3][];
        for (var r = 0; r < 3; r++) rows[r] = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) rows[0][j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var upRow = rows[(i - 1) % 3];
            var currentRow = rows[i % 3];
            var smallest = currentRow[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var cell = Math.Min(Math.Min(upRow[j] + 1, currentRow[j - 1] + 1), upRow[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    cell = Math.Min(cell, rows[(i - 2) % 3][j - 2] + 1);
                if (cell < smallest) smallest = cell;
                currentRow[j] = cell;
            }
            if (smallest > threshold) return null;
        }
        var distance = rows[a.Length % 3][b.Length];
        return distance <= threshold ? distance : null;
    }
}
