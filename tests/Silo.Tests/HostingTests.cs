using System.Net;
using System.Text.Json;
using Actors.Testing;

namespace Actors.Silo.Tests;

public sealed class HostingTests
{
    /// <summary>A folder that looks like a checkout: Actors.sln at its root, workflows under rules/workflows.</summary>
    private static string NewCheckout()
    {
        var root = Path.Combine(Path.GetTempPath(), $"actors-silo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "rules", "workflows", "examples"));
        File.WriteAllText(Path.Combine(root, "Actors.sln"), "");
        return root;
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Without_a_connection_string_the_silo_provisions_a_local_cluster_stops_it_and_reuses_it()
    {
        var root = NewCheckout();
        var dataDirectory = Path.Combine(root, ".data", "postgres");

        await using (var silo = SiloProcess.Start(root))
        {
            var ready = await silo.WaitUntilServing();
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains($"data in {dataDirectory}", silo.Output);
            Assert.True(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")));
            await using (var cluster = Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={File.ReadAllText(dataDirectory + ".port")};Username=postgres;Database=actors"))
                Assert.Equal("4GB", await cluster.CreateCommand("SHOW max_wal_size").ExecuteScalarAsync()); // checkpoints by time, not every ~25 s of card use
            Assert.Equal(0, await silo.Stop());
        }
        Assert.False(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "stopping the silo stops its cluster");
        var firstVersion = File.ReadAllText(Path.Combine(dataDirectory, "PG_VERSION"));
        var port = File.ReadAllText(dataDirectory + ".port");

        await using (var again = SiloProcess.Start(root))
        {
            Assert.Equal(HttpStatusCode.OK, (await again.WaitUntilServing()).StatusCode);
            Assert.Equal(port, File.ReadAllText(dataDirectory + ".port"));
            Assert.DoesNotContain("initdb", again.Output);
        }
        Assert.Equal(firstVersion, File.ReadAllText(Path.Combine(dataDirectory, "PG_VERSION")));
        Directory.Delete(root, recursive: true);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Without_PostgreSQL_binaries_the_silo_says_how_to_install_them_and_exits_non_zero()
    {
        var root = NewCheckout();
        await using var silo = SiloProcess.Start(root, new Dictionary<string, string> { ["ACTORS_PG_BIN"] = Path.Combine(root, "no-postgres-here") });

        var exit = await silo.WaitForExit();
        Assert.NotEqual(0, exit);
        Assert.Contains("apt-get install -y postgresql", silo.Output);
        Assert.Single(silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_address_the_silo_cannot_listen_on_is_named_and_the_silo_exits_non_zero()
    {
        var root = NewCheckout();
        await using var silo = SiloProcess.Start(root, null, "--http2Urls", "https://127.0.0.1:5443");

        Assert.NotEqual(0, await silo.WaitForExit());
        Assert.Contains("'https://127.0.0.1:5443' is not an address the silo can listen on", silo.Output);
        Assert.Single(silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_silo_answers_GraphQL_over_HTTP_with_the_live_workflow_versions()
    {
        var root = NewCheckout();
        File.WriteAllText(Path.Combine(root, "rules", "workflows", "examples", "discount.json"),
            """{ "WorkflowName": "Discount", "Rules": [ { "RuleName": "Loyal", "Expression": "input1.Years > 2" } ] }""");
        var database = await TestPostgres.CreateDatabase("silographql");
        await using var silo = SiloProcess.Start(root, new Dictionary<string, string> { ["ConnectionStrings__Actors"] = database });
        await silo.WaitUntilServing();

        var response = await silo.Http.PostAsync(new Uri(silo.Address, "/graphql"), new StringContent(
            """{ "query": "{ workflows { name program version lastError } }" }""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var workflow = Assert.Single(body.RootElement.GetProperty("data").GetProperty("workflows").EnumerateArray());
        Assert.Equal("Discount", workflow.GetProperty("name").GetString());
        Assert.Equal("examples", workflow.GetProperty("program").GetString());
        Assert.False(string.IsNullOrEmpty(workflow.GetProperty("version").GetString()));

        var malformed = await silo.Http.PostAsync(new Uri(silo.Address, "/graphql"), new StringContent(
            """{ "query": "{ workflows { name " }""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode); // application/json: errors travel in the body
        Assert.Contains("Syntax Error", await malformed.Content.ReadAsStringAsync());

        // The HTTP/2 port serves the same API to clients that multiplex (station networks), by prior knowledge.
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var overHttp2 = await http2.PostAsync(new Uri(silo.Http2Address, "/graphql"), new StringContent(
            """{ "query": "{ workflows { name } }" }""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        Assert.Contains("\"Discount\"", await overHttp2.Content.ReadAsStringAsync());
        // ...and only HTTP/2: an HTTP/1.1 client there is told so instead of half-served.
        var http1There = await silo.Http.GetAsync(new Uri(silo.Http2Address, "/health/ready"));
        Assert.Equal(HttpStatusCode.BadRequest, http1There.StatusCode);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task With_the_fleet_demo_flag_the_demo_fleet_manager_logs_in_and_sees_the_demo_fleet()
    {
        var root = NewCheckout();
        var database = await TestPostgres.CreateDatabase("silodemo");
        var workflows = Path.Combine(Actors.Silo.Hosting.RepositoryRoot.Find(), "rules", "workflows"); // the real fleet policies
        await using var silo = SiloProcess.Start(root,
            new Dictionary<string, string> { ["ConnectionStrings__Actors"] = database, ["Rules__Workflows"] = workflows }, "--fleet-demo");
        await silo.WaitUntilServing();
        for (var i = 0; i < 600 && !silo.Output.Contains("demo data loaded"); i++) await Task.Delay(100); // another process: no clock to move

        using var login = await silo.GraphQL("""mutation { login(login: "fleet.manager", password: "Demo#2026!") { outcome token } }""");
        var token = login.RootElement.GetProperty("data").GetProperty("login").GetProperty("token").GetString();
        Assert.False(string.IsNullOrEmpty(token), login.RootElement.GetRawText());

        using var status = await silo.GraphQL("{ fleetStatus(first: 5) { totalCount nodes { number status } } }", token);
        Assert.True(status.RootElement.GetProperty("data").GetProperty("fleetStatus").GetProperty("totalCount").GetInt32() >= 200,
            status.RootElement.GetRawText());

        using var anonymous = await silo.GraphQL("{ fleetStatus(first: 5) { totalCount } }");
        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymous.RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_broken_workflow_file_shows_on_health_with_its_error_and_the_silo_still_serves()
    {
        var root = NewCheckout();
        File.WriteAllText(Path.Combine(root, "rules", "workflows", "examples", "broken.json"),
            """{ "WorkflowName": "Broken", "Rules": [ { "RuleName": "R1", "Expression": "input1.Amount >" } ] }""");
        var database = await TestPostgres.CreateDatabase("silohealth");

        await using var silo = SiloProcess.Start(root, new Dictionary<string, string> { ["ConnectionStrings__Actors"] = database });
        var ready = await silo.WaitUntilServing();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // Degraded still serves
        using var health = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", health.RootElement.GetProperty("status").GetString());
        var rules = health.RootElement.GetProperty("checks").GetProperty("rules");
        Assert.Contains("broken.json", rules.GetRawText());
        // The cluster entry is this silo's membership view: it sees itself Active.
        var cluster = health.RootElement.GetProperty("checks").GetProperty("cluster");
        Assert.Equal("Healthy", cluster.GetProperty("status").GetString());
        Assert.Contains("is Active; 1 active silo(s)", cluster.GetProperty("description").GetString());
    }
}
