using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Actors.GraphQL.Http;

/// <summary>
/// GraphiQL, offline: the page and its script are ours; React, ReactDOM and GraphiQL's UMD bundles are copied at build
/// time from graphql/Engine/GraphiQL/node_modules into the output folder <c>graphiql/</c> (npm ci there first).
/// </summary>
public sealed class GraphiQLPage(string endpoint)
{
    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["react.production.min.js"] = "text/javascript; charset=utf-8",
        ["react-dom.production.min.js"] = "text/javascript; charset=utf-8",
        ["graphiql.min.js"] = "text/javascript; charset=utf-8",
        ["graphiql.min.css"] = "text/css; charset=utf-8",
    };

    private static string AssetFolder => Path.Combine(AppContext.BaseDirectory, "graphiql");

    /// <summary>Whether the npm bundles were copied next to the application (npm ci in graphql/Engine/GraphiQL before building).</summary>
    public static bool AssetsInstalled => Assets.Keys.All(f => File.Exists(Path.Combine(AssetFolder, f)));

    /// <summary>Browsers navigating to the endpoint ask for HTML first; API clients never do.</summary>
    internal static bool Wants(HttpRequest request)
    {
        if (request.Query.ContainsKey("query")) return false;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)) return false;
        return ranges.Any(r => string.Equals(r.MediaType.Value, "text/html", StringComparison.OrdinalIgnoreCase));
    }

    internal async Task ServePageAsync(HttpContext http)
    {
        var basePath = http.Request.PathBase + endpoint.TrimEnd('/') + "/graphiql/";
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        if (!AssetsInstalled)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("<!doctype html><title>GraphiQL</title><p>GraphiQL's assets are not installed: the build installs them with npm ci in graphql/Engine/GraphiQL; install Node.js and npm, then build again.</p>");
            return;
        }
        await http.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8" />
              <title>GraphiQL</title>
              <link rel="stylesheet" href="{{basePath}}graphiql.min.css" />
              <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
            </head>
            <body>
              <div id="graphiql">Loading…</div>
              <script src="{{basePath}}react.production.min.js"></script>
              <script src="{{basePath}}react-dom.production.min.js"></script>
              <script src="{{basePath}}graphiql.min.js"></script>
              <script src="{{basePath}}init.js"></script>
            </body>
            </html>
            """);
    }

    internal async Task ServeAssetAsync(HttpContext http, string file)
    {
        if (file == "init.js")
        {
            http.Response.ContentType = "text/javascript; charset=utf-8";
            await http.Response.WriteAsync(InitScript(http.Request.PathBase + endpoint));
            return;
        }
        if (!Assets.TryGetValue(file, out var contentType) || !File.Exists(Path.Combine(AssetFolder, file)))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "public, max-age=86400";
        await http.Response.SendFileAsync(Path.Combine(AssetFolder, file));
    }

    // The endpoint is the page's own GraphQL path; subscriptions go over ws(s) on the same path.
    private static string InitScript(string endpoint) => $$"""
        (function () {
          var q = new URLSearchParams(location.search);
          var url = new URL(q.get('endpoint') || '{{endpoint}}', location.href).toString();
          var fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') });
          ReactDOM.createRoot(document.getElementById('graphiql')).render(
            React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: q.get('defaultQuery') || undefined }));
        })();
        """;
}
