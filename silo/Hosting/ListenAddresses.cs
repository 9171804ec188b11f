using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Actors.Silo.Hosting;

/// <summary>
/// Where the silo listens. <c>urls</c> serves HTTP/1.1 (browsers, GraphiQL, WebSocket subscriptions); <c>http2Urls</c>
/// serves HTTP/2 without TLS by prior knowledge, for clients that keep one connection and send many requests on it
/// side by side: a station network's authorizations cost about a third less CPU that way than one connection each.
/// </summary>
/// <remarks>
/// Kestrel cannot tell HTTP/2 prior knowledge from HTTP/1.1 on a cleartext port, hence two ports. TLS is left to the
/// proxy in front, as for the rest of the API. With <c>urls</c> given and no <c>http2Urls</c>, there is no HTTP/2 port.
/// </remarks>
public static class ListenAddresses
{
    public const string DefaultHttp1 = "http://127.0.0.1:5080";
    public const string DefaultHttp2 = "http://127.0.0.1:5081";

    public static void ListenOnConfiguredAddresses(this IWebHostBuilder host, IConfiguration configuration)
    {
        var http1 = configuration["urls"];
        var http2 = configuration["http2Urls"] ?? (string.IsNullOrEmpty(http1) ? DefaultHttp2 : null);
        var endpoints = Parse(string.IsNullOrEmpty(http1) ? DefaultHttp1 : http1, HttpProtocols.Http1)
            .Concat(Parse(http2, HttpProtocols.Http2)).ToList();
        host.ConfigureKestrel(kestrel =>
        {
            foreach (var (address, port, protocols) in endpoints)
                kestrel.Listen(address, port, listen => listen.Protocols = protocols);
        });
    }

    /// <summary>"http://127.0.0.1:5080;http://[::1]:5080": cleartext addresses with a port (0 picks a free one).</summary>
    internal static IEnumerable<(IPAddress Address, int Port, HttpProtocols Protocols)> Parse(string? urls, HttpProtocols protocols)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? url["http://".Length..].TrimEnd('/') : throw Unsupported(url);
            var colon = host.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(host[(colon + 1)..], out var port) || port is < 0 or > 65535) throw Unsupported(url);
            var name = host[..colon].Trim('[', ']');
            var address = name switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "+" or "0.0.0.0" => IPAddress.Any,
                _ => IPAddress.TryParse(name, out var parsed) ? parsed : throw Unsupported(url),
            };
            yield return (address, port, protocols);
        }
    }

    private static ArgumentException Unsupported(string url) =>
        new($"'{url}' is not an address the silo can listen on: give http://IP:PORT (TLS belongs to the proxy in front).");
}
