namespace Actors.Silo.Hosting;

/// <summary>
/// What the silo was asked on its command line. ASP.NET Core's own reading takes <c>--flag</c> followed by another
/// <c>--option</c> as the flag's value and drops what follows, and ignores names it does not know: here every flag is
/// known, may come in any order (given twice, the last one counts, as in configuration), and anything else stops the
/// silo with one line saying why.
/// </summary>
/// <param name="Configuration">The listen addresses and configuration keys, as <c>--key=value</c> for the host's configuration.</param>
/// <param name="FleetDemo"><c>--fleet-demo</c>: load the Fleet demo customer once the runtime serves calls.</param>
/// <param name="StationNetwork"><c>--station-token NAME</c>: print a bearer token for that station network and exit.</param>
/// <param name="ListEndpoints"><c>--endpoints</c>: print the HTTP endpoints the silo maps and exit.</param>
public sealed record SiloCommandLine(string[] Configuration, bool FleetDemo, string? StationNetwork, bool ListEndpoints)
{
    /// <summary>Flags that take a value, with what the value is, for the refusal of a missing one.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.OrdinalIgnoreCase)
    {
        ["urls"] = "http://127.0.0.1:6000",
        ["http2Urls"] = "http://127.0.0.1:6001",
        ["environment"] = "Development",
        ["station-token"] = "NETWORK-NAME",
    };

    private static readonly HashSet<string> Switches = new(StringComparer.OrdinalIgnoreCase) { "fleet-demo", "endpoints" };

    public const string Usage =
        "the silo takes --urls URLS, --http2Urls URLS, --fleet-demo, --station-token NAME, --endpoints, --environment NAME and configuration keys as --Section:Key VALUE (see README.md)";

    /// <summary>Reads the arguments; on a flag it does not know or cannot read, <paramref name="problem"/> says which, in one line.</summary>
    public static bool TryRead(IReadOnlyList<string> args, out SiloCommandLine commandLine, out string problem)
    {
        commandLine = new SiloCommandLine([], false, null, false);
        problem = "";
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                problem = $"Unexpected argument '{argument}': {Usage}.";
                return false;
            }
            var equals = argument.IndexOf('=');
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            string? value = equals < 0 ? null : argument[(equals + 1)..];
            if (Switches.Contains(name))
            {
                if (value is not null)
                {
                    problem = $"--{name} takes no value (got '{value}').";
                    return false;
                }
                commandLine = name.Equals("fleet-demo", StringComparison.OrdinalIgnoreCase)
                    ? commandLine with { FleetDemo = true }
                    : commandLine with { ListEndpoints = true };
                continue;
            }
            // Configuration keys name their section (Fleet:TokenKey, Actors:CallTimeout): a typo of a flag has no colon.
            var isKey = name.Contains(':') && !name.StartsWith(':') && !name.EndsWith(':');
            if (!Options.TryGetValue(name, out var example) && !isKey)
            {
                problem = $"Unknown flag --{name}: {Usage}.";
                return false;
            }
            if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            if (string.IsNullOrWhiteSpace(value))
            {
                problem = $"--{name} needs a value, e.g. --{name} {example ?? "VALUE"}.";
                return false;
            }
            if (name.Equals("station-token", StringComparison.OrdinalIgnoreCase)) commandLine = commandLine with { StationNetwork = value };
            else configuration.Add($"--{name}={value}");
        }
        commandLine = commandLine with { Configuration = [.. configuration] };
        return true;
    }
}
