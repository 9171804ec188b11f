using Microsoft.AspNetCore.Routing;

namespace Actors.Silo.Hosting;

/// <summary>
/// <c>--endpoints</c>: the HTTP endpoints the silo maps, one <c>METHODS /pattern</c> a line, read from the routing's own
/// data sources, so what an operator puts behind a proxy, and what the tests walk, is what the silo serves.
/// </summary>
public static class EndpointList
{
    public static IEnumerable<string> Of(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => $"{Methods(endpoint)} /{endpoint.RoutePattern.RawText?.TrimStart('/')}")
            .Distinct().Order(StringComparer.Ordinal);

    public static void Print(IEndpointRouteBuilder app, TextWriter output)
    {
        foreach (var line in Of(app)) output.WriteLine(line);
    }

    // An endpoint mapped without a method answers every method: shown as ANY.
    private static string Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { HttpMethods.Count: > 0 } methods ? string.Join(',', methods.HttpMethods) : "ANY";
}
