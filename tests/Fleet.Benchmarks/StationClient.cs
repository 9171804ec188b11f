using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;

/// <summary>
/// A station network's client, kept lean as pgbench is a lean C client, so the CPU measured per authorization is the
/// server's: one SocketsHttpHandler without redirects, cookies or trace headers, called through HttpMessageInvoker (no
/// per-request timeout source), the request body written as UTF-8 JSON directly, the answer read as bytes.
/// </summary>
internal sealed class StationClient : IDisposable
{
    private const string Mutation = "mutation($r: AuthorizationRequestInput!) { authorize(request: $r) { transactionId outcome } }";
    private static readonly JsonEncodedText Query = JsonEncodedText.Encode(Mutation);

    private readonly HttpMessageInvoker invoker;
    private readonly Uri url;
    private readonly string authorization;
    private readonly Version version;

    public StationClient(Uri url, string token, bool http1, int connections)
    {
        this.url = url;
        authorization = "Bearer " + token;
        version = http1 ? HttpVersion.Version11 : HttpVersion.Version20;
        invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10), EnableMultipleHttp2Connections = true,
            AllowAutoRedirect = false, UseCookies = false, UseProxy = false, ActivityHeadersPropagator = null,
        });
    }

    /// <summary>Sends one authorization; null when approved, else the answer's text.</summary>
    public async Task<string?> Authorize(string cardNumber, long odometer, string idempotencyKey)
    {
        var body = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(body)) WriteRequest(json, cardNumber, odometer, idempotencyKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(body.WrittenMemory),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            int length = 0, read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length))) > 0)
            {
                length += read;
                if (length == buffer.Length) throw new InvalidOperationException("The answer is longer than expected: " + Encoding.UTF8.GetString(buffer));
            }
            var answer = buffer.AsSpan(0, length);
            return answer.IndexOf("\"APPROVED\""u8) >= 0 ? null : Encoding.UTF8.GetString(answer);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private static void WriteRequest(Utf8JsonWriter json, string cardNumber, long odometer, string idempotencyKey)
    {
        json.WriteStartObject();
        json.WriteString("query"u8, Query);
        json.WriteStartObject("variables"u8);
        json.WriteStartObject("r"u8);
        json.WriteString("cardNumber"u8, cardNumber);
        json.WriteNumber("rank"u8, 1);
        json.WriteBoolean("pinCorrect"u8, true);
        json.WriteString("product"u8, "Diesel"u8);
        json.WriteNumber("quantity"u8, 40);
        json.WriteNumber("amount"u8, 70);
        json.WriteNumber("odometer"u8, odometer);
        json.WriteString("idempotencyKey"u8, idempotencyKey);
        json.WriteStartObject("station"u8);
        json.WriteString("id"u8, "BE-0001"u8);
        json.WriteString("country"u8, "BE"u8);
        json.WriteString("timeZone"u8, "Europe/Brussels"u8);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public void Dispose() => invoker.Dispose();
}
