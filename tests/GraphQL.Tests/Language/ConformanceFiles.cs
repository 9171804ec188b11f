using System.Text.Json;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Finds the shared conformance material: ACTORS_SHARED, else the first ancestor folder holding shared/conformance.</summary>
internal static class ConformanceFiles
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var fromEnv = Environment.GetEnvironmentVariable("ACTORS_SHARED");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.Combine(fromEnv, "conformance", "graphql");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate)) return Path.Combine(candidate, "graphql");
        }
        throw new DirectoryNotFoundException("shared/conformance not found above " + AppContext.BaseDirectory + "; set ACTORS_SHARED.");
    });

    public static string PathOf(string file) => Path.Combine(Folder.Value, file);

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(PathOf(file)));

    /// <summary>
    /// A JSON string's value, decoded by hand: System.Text.Json refuses lone surrogates, which the lexer cases contain on purpose.
    /// </summary>
    public static string RawString(JsonElement element)
    {
        var raw = element.GetRawText();
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\') { sb.Append(c); continue; }
            var e = raw[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    sb.Append((char)Convert.ToInt32(raw.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }
}
