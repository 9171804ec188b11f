using System.Buffers;
using System.Text.Json;
using Actors.GraphQL.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Actors.GraphQL.Http;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP draft): POST with JSON bodies, GET with query parameters (queries only),
/// content negotiation between <c>application/graphql-response+json</c> and <c>application/json</c>.
/// </summary>
public sealed class GraphQLHttpHandler(GraphQLEngine engine)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        bool isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteProblem(http, StatusCodes.Status405MethodNotAllowed, Json, "Only GET and POST are supported.");
            return;
        }

        bool eventStream = WantsEventStream(request.Headers.Accept);
        var mediaType = eventStream ? Json : Negotiate(request.Headers.Accept);
        if (mediaType is null)
        {
            await WriteProblem(http, StatusCodes.Status406NotAcceptable, Json,
                $"The Accept header allows neither {GraphQLResponseJson} nor {Json}.");
            return;
        }

        GraphQLRequest? graphQLRequest;
        string? problem;
        if (isGet) (graphQLRequest, problem) = ReadQueryString(request.Query);
        else
        {
            if (!IsJsonContent(request.ContentType))
            {
                await WriteProblem(http, StatusCodes.Status415UnsupportedMediaType, mediaType,
                    $"POST requests must have Content-Type {Json} (UTF-8).");
                return;
            }
            (graphQLRequest, problem) = await ReadBodyAsync(request, http.RequestAborted);
        }
        if (graphQLRequest is null)
        {
            await WriteProblem(http, StatusCodes.Status400BadRequest, mediaType, problem!);
            return;
        }

        var preparation = engine.Prepare(graphQLRequest.Query, graphQLRequest.OperationName);
        ExecutionResult result;
        if (preparation.Failure is { } failure) result = failure;
        else
        {
            var operation = preparation.Operation!;
            // GET may read: queries, and subscriptions as an event stream (EventSource can only GET). Never mutations.
            if (isGet && !(operation.Kind == Documents.OperationKind.Query || eventStream && operation.Kind == Documents.OperationKind.Subscription))
            {
                http.Response.Headers.Allow = "POST";
                await WriteResult(http, StatusCodes.Status405MethodNotAllowed, mediaType, ExecutionResult.RequestError(
                    GraphQLError.WithCode($"{operation.Kind} operations are only allowed with POST.", ErrorCodes.OperationNotAllowed)));
                return;
            }
            if (eventStream)
            {
                await StreamAsync(http, operation, graphQLRequest);
                return;
            }
            if (operation.Kind == Documents.OperationKind.Subscription)
                result = ExecutionResult.RequestError(GraphQLError.WithCode(
                    "Subscriptions are served over WebSocket (graphql-transport-ws) on this path, or over HTTP with Accept: text/event-stream.", ErrorCodes.OperationNotAllowed));
            else
                result = await engine.ExecuteAsync(operation, graphQLRequest.Variables, http.RequestServices, http.User, http.RequestAborted);
        }

        // application/json answers 200 to every well-formed request; graphql-response+json answers 4xx when there is no data.
        int status = mediaType == Json || result.HasData ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        await WriteResult(http, status, mediaType, result);
    }

    /// <summary>Picks the response media type from Accept: the preferred supported one; <c>application/json</c> for wildcards or no header.</summary>
    internal static string? Negotiate(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0 || accept.All(string.IsNullOrWhiteSpace)) return Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges)) return Json;
        string? best = null;
        double bestQuality = 0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1;
            if (quality <= 0) continue;
            string? candidate = range.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponseJson => GraphQLResponseJson,
                Json => Json,
                "application/*" or "*/*" => Json,
                _ => null,
            };
            if (candidate is not null && quality > bestQuality) { best = candidate; bestQuality = quality; }
        }
        return best;
    }

    private static bool WantsEventStream(Microsoft.Extensions.Primitives.StringValues accept) =>
        MediaTypeHeaderValue.TryParseList(accept, out var ranges)
        && ranges.Any(r => string.Equals(r.MediaType.Value, "text/event-stream", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// GraphQL over Server-Sent Events (graphql-sse's distinct connections mode, as Hot Chocolate serves it):
    /// one <c>next</c> event per result, then <c>complete</c>. Works for every operation kind.
    /// </summary>
    private async Task StreamAsync(HttpContext http, PreparedOperation operation, GraphQLRequest request)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var cancellation = http.RequestAborted;
        try
        {
            if (operation.Kind == Documents.OperationKind.Subscription)
            {
                await foreach (var result in engine.SubscribeAsync(operation, request.Variables, http.RequestServices, http.User, cancellation))
                    await WriteEventAsync(response, "next", result, cancellation);
            }
            else
                await WriteEventAsync(response, "next", await engine.ExecuteAsync(operation, request.Variables, http.RequestServices, http.User, cancellation), cancellation);
            await response.WriteAsync("event: complete\ndata:\n\n", cancellation);
            await response.Body.FlushAsync(cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, ExecutionResult result, CancellationToken cancellation)
    {
        await response.WriteAsync($"event: {name}\ndata: {ResultJson.ToJson(result)}\n\n", cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    private static bool IsJsonContent(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return false;
        if (!string.Equals(parsed.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase)) return false;
        var charset = parsed.Charset.Value;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the whole body from the request's pipe and parses it in place (no stream adapter, no copy into a buffer of our own).</summary>
    private static async Task<(GraphQLRequest?, string?)> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        var body = request.BodyReader;
        var read = await body.ReadAsync(cancellation);
        while (!read.IsCompleted)
        {
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing consumed yet: wait for the rest
            read = await body.ReadAsync(cancellation);
        }
        try { return ParseBody(read.Buffer); }
        finally { body.AdvanceTo(read.Buffer.End); }
    }

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static (GraphQLRequest?, string?) ParseBody(ReadOnlySequence<byte> utf8)
    {
        // JsonDocument.ParseAsync skipped a UTF-8 byte order mark; parsing the bytes directly must too.
        if (utf8.FirstSpan.StartsWith(Utf8Bom)) utf8 = utf8.Slice(Utf8Bom.Length);
        JsonDocument document;
        try { document = JsonDocument.Parse(utf8, DocumentOptions); }
        catch (JsonException e) { return (null, $"The request body is not valid JSON: {e.Message}"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "The request body must be a JSON object.");
            return Parse(
                root.TryGetProperty("query"u8, out var q) ? q : null,
                root.TryGetProperty("operationName"u8, out var o) ? o : null,
                root.TryGetProperty("variables"u8, out var v) ? v.Clone() : null,
                root.TryGetProperty("extensions"u8, out var x) ? x.Clone() : null);
        }
    }

    private static (GraphQLRequest?, string?) ReadQueryString(IQueryCollection query)
    {
        JsonElement? Json(string name, out string? problem)
        {
            problem = null;
            if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text)) return null;
            try { return JsonDocument.Parse(text.ToString(), DocumentOptions).RootElement.Clone(); }
            catch (JsonException) { problem = $"The {name} parameter is not valid JSON."; return null; }
        }
        var variables = Json("variables", out var variablesProblem);
        if (variablesProblem is not null) return (null, variablesProblem);
        var extensions = Json("extensions", out var extensionsProblem);
        if (extensionsProblem is not null) return (null, extensionsProblem);
        JsonElement? Text(string name) => query.TryGetValue(name, out var v) ? JsonSerializer.SerializeToElement(v.ToString()) : null;
        return Parse(Text("query"), Text("operationName"), variables, extensions);
    }

    private static (GraphQLRequest?, string?) Parse(JsonElement? query, JsonElement? operationName, JsonElement? variables, JsonElement? extensions)
    {
        if (query is not { ValueKind: JsonValueKind.String } q) return (null, "The request must carry a query string.");
        if (operationName is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
            return (null, "operationName must be a string or null.");
        if (variables is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            return (null, "variables must be an object or null.");
        if (extensions is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            return (null, "extensions must be an object or null.");
        return (new GraphQLRequest(
            q.GetString(),
            operationName is { ValueKind: JsonValueKind.String } o ? o.GetString() : null,
            variables is { ValueKind: JsonValueKind.Object } ? variables : null,
            extensions is { ValueKind: JsonValueKind.Object } ? extensions : null), null);
    }

    private static Task WriteProblem(HttpContext http, int status, string mediaType, string message) =>
        WriteResult(http, status, mediaType, ExecutionResult.RequestError(new GraphQLError(message)));

    /// <summary>
    /// Writes the result with its Content-Length: serialized into this thread's buffer first, then copied to the body
    /// in one write that the server sends when the request completes (no chunked encoding, no separate flush frame).
    /// </summary>
    private static Task WriteResult(HttpContext http, int status, string mediaType, ExecutionResult result)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = mediaType == Json ? JsonUtf8 : GraphQLResponseJsonUtf8;
        var json = ResponseBuffer.Serialize(result);
        try
        {
            response.ContentLength = json.Length;
            response.BodyWriter.Write(json);
        }
        finally { ResponseBuffer.Release(); }
        return Task.CompletedTask;
    }

    private const string JsonUtf8 = Json + "; charset=utf-8";
    private const string GraphQLResponseJsonUtf8 = GraphQLResponseJson + "; charset=utf-8";
}

/// <summary>
/// One reusable JSON buffer and writer per thread: serializing a result is synchronous, so the buffer is free again
/// once the caller copied it out. A buffer grown past <see cref="KeptCapacity"/> (an introspection answer) is let go.
/// </summary>
internal static class ResponseBuffer
{
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The result as UTF-8 JSON, valid until <see cref="Release"/> on this thread.</summary>
    public static ReadOnlySpan<byte> Serialize(ExecutionResult result)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount(); // also after a result that failed to serialize half-way
        writer.Reset(buffer);
        ResultJson.Write(writer, result);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    public static void Release()
    {
        if (t_buffer is not { } buffer) return;
        if (buffer.Capacity > KeptCapacity) (t_buffer, t_writer) = (null, null);
        else buffer.ResetWrittenCount();
    }
}
