using Actors.Silo.Hosting;
using Actors.Testing;
using Microsoft.Extensions.Configuration;

namespace Actors.Silo.Tests;

/// <summary>The README's flags, in any order; anything else stops the silo with one line.</summary>
public sealed class CommandLineTests
{
    private static SiloCommandLine Read(params string[] args)
    {
        Assert.True(SiloCommandLine.TryRead(args, out var commandLine, out var problem), problem);
        return commandLine;
    }

    private static string Refusal(params string[] args)
    {
        Assert.False(SiloCommandLine.TryRead(args, out _, out var problem), $"{string.Join(' ', args)} was accepted");
        Assert.DoesNotContain('\n', problem);
        return problem;
    }

    /// <summary>The configuration the host reads from what the command line passes on.</summary>
    private static IConfiguration Configuration(SiloCommandLine commandLine) =>
        new ConfigurationBuilder().AddCommandLine(commandLine.Configuration).Build();

    [Fact]
    public void A_switch_before_an_option_leaves_the_option_its_value()
    {
        // Issue 15: "--fleet-demo --urls X" listened on 5080 and 5081, the switch having taken "--urls" as its value.
        var commandLine = Read("--fleet-demo", "--urls", "http://127.0.0.1:5090");
        Assert.True(commandLine.FleetDemo);
        Assert.Equal("http://127.0.0.1:5090", Configuration(commandLine)["urls"]);
        Assert.Null(Configuration(commandLine)["fleet-demo"]);
    }

    [Fact]
    public void Every_order_of_the_flags_reads_the_same()
    {
        string[][] flags = [["--fleet-demo"], ["--urls", "http://127.0.0.1:6000"], ["--http2Urls=http://127.0.0.1:6001"], ["--Fleet:TokenKey", "a2V5"], ["--endpoints"]];
        foreach (var order in Orders(flags.Length))
        {
            var commandLine = Read([.. order.SelectMany(i => flags[i])]);
            var configuration = Configuration(commandLine);
            Assert.True(commandLine.FleetDemo && commandLine.ListEndpoints, string.Join(' ', order));
            Assert.Equal("http://127.0.0.1:6000", configuration["urls"]);
            Assert.Equal("http://127.0.0.1:6001", configuration["http2Urls"]);
            Assert.Equal("a2V5", configuration["Fleet:TokenKey"]);
        }
    }

    private static IEnumerable<int[]> Orders(int count) => count == 0
        ? [[]]
        : Orders(count - 1).SelectMany(order => Enumerable.Range(0, count).Select(at => order[..at].Append(count - 1).Concat(order[at..]).ToArray()));

    [Fact]
    public void A_flag_given_twice_counts_as_last_given()
    {
        // Scripts append to a base command line (the tests' SiloProcess does): the later value overrides, as in configuration.
        Assert.Equal("http://127.0.0.1:6001", Configuration(Read("--urls", "http://127.0.0.1:6000", "--urls=http://127.0.0.1:6001"))["urls"]);
    }

    [Fact]
    public void The_station_token_names_its_network_wherever_it_stands()
    {
        Assert.Equal("network-be", Read("--station-token", "network-be", "--fleet-demo").StationNetwork);
        Assert.Equal("network-be", Read("--fleet-demo", "--station-token=network-be").StationNetwork);
        Assert.Empty(Read("--station-token", "network-be").Configuration);
    }

    [Fact]
    public void Unknown_and_malformed_flags_are_named_in_one_line()
    {
        Assert.StartsWith("Unknown flag --fleet-dmeo:", Refusal("--fleet-dmeo"));
        Assert.StartsWith("Unknown flag --port:", Refusal("--urls", "http://127.0.0.1:6000", "--port", "6000"));
        Assert.StartsWith("--urls needs a value", Refusal("--urls", "--fleet-demo"));
        Assert.StartsWith("--station-token needs a value", Refusal("--fleet-demo", "--station-token"));
        Assert.StartsWith("--fleet-demo takes no value", Refusal("--fleet-demo=yes"));
        Assert.StartsWith("Unexpected argument 'http://127.0.0.1:6000'", Refusal("--fleet-demo", "http://127.0.0.1:6000"));
        Assert.StartsWith("Unexpected argument '-urls'", Refusal("-urls", "http://127.0.0.1:6000"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_silo_stops_on_an_unknown_flag_with_one_line_and_a_non_zero_exit()
    {
        await using var silo = SiloProcess.Start(HostingCheckout.New(), null, "--fleet-dmeo");
        Assert.Equal(2, await silo.WaitForExit());
        Assert.StartsWith("Unknown flag --fleet-dmeo:", Assert.Single(silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
