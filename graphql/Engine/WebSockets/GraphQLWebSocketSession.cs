using System.Buffers;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Actors.GraphQL.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.WebSockets;

/// <summary>Close codes of graphql-transport-ws (graphql-ws PROTOCOL.md).</summary>
public static class CloseCodes
{
    public const int BadRequest = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int InitTimeout = 4408;
    public const int SubscriberAlreadyExists = 4409;
    public const int TooManyInitRequests = 4429;
}

/// <summary>
/// One graphql-transport-ws connection: connection_init/ack, ping/pong, subscribe/next/error/complete for every
/// operation kind, and the protocol's close codes. Operations run concurrently, each in its own service scope.
/// </summary>
internal sealed class GraphQLWebSocketSession(
    WebSocket socket, HttpContext http, GraphQLEngine engine, IConnectionAuthenticator authenticator, IServiceScopeFactory scopes)
{
    public const string SubProtocol = "graphql-transport-ws";
    private const int MaxMessageBytes = 1 << 20;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<string, CancellationTokenSource> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    private readonly CancellationTokenSource _receiving = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);

    /// <summary>How long a client may take to answer our close frame before the socket is dropped.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private int _initReceived;
    private volatile bool _acknowledged;
    private ClaimsPrincipal _user = http.User;

    public async Task RunAsync()
    {
        var initTimeout = WatchInitTimeoutAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away; nothing to tell it.
        }
        finally
        {
            await _closing.CancelAsync();
            lock (_operations)
            {
                foreach (var cts in _operations.Values) cts.Cancel();
                _operations.Clear();
            }
            await initTimeout;
        }
    }

    private async Task WatchInitTimeoutAsync()
    {
        try
        {
            await Task.Delay(engine.Options.ConnectionInitTimeout, engine.Options.TimeProvider, _closing.Token);
            if (Volatile.Read(ref _initReceived) == 0) await CloseAsync(CloseCodes.InitTimeout, "Connection initialisation timeout");
        }
        catch (OperationCanceledException) { }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        // Receiving uses the request's token only: cancelling a pending receive would abort the socket
        // before the client sees our close code (e.g. 4408 from the init timer).
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            buffer.Clear();
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.GetMemory(4096), _receiving.Token);
                if (received.MessageType == WebSocketMessageType.Close) return;
                buffer.Advance(received.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    await CloseAsync(CloseCodes.BadRequest, "Message too large");
                    return;
                }
            } while (!received.EndOfMessage);

            if (received.MessageType != WebSocketMessageType.Text)
            {
                await CloseAsync(CloseCodes.BadRequest, "Binary messages are not supported");
                return;
            }
            if (socket.State != WebSocketState.Open) continue; // closing: drain until the client's close frame
            if (!await HandleMessageAsync(buffer.WrittenMemory)) return;
        }
    }

    /// <summary>Handles one message; false when the connection was closed.</summary>
    private async Task<bool> HandleMessageAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(message); }
        catch (JsonException) { await CloseAsync(CloseCodes.BadRequest, "Invalid message received"); return false; }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                await CloseAsync(CloseCodes.BadRequest, "Invalid message received");
                return false;
            }
            JsonElement? payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : null;
            switch (typeElement.GetString())
            {
                case "connection_init":
                    if (Interlocked.Exchange(ref _initReceived, 1) == 1)
                    {
                        await CloseAsync(CloseCodes.TooManyInitRequests, "Too many initialisation requests");
                        return false;
                    }
                    if (payload is { ValueKind: not JsonValueKind.Object })
                    {
                        await CloseAsync(CloseCodes.BadRequest, "Invalid connection_init payload");
                        return false;
                    }
                    ClaimsPrincipal? user;
                    try { user = await authenticator.AuthenticateAsync(http, BearerToken(payload), payload, _closing.Token); }
                    catch (Exception e) when (e is not OperationCanceledException) { user = null; }
                    if (user is null)
                    {
                        await CloseAsync(CloseCodes.Forbidden, "Forbidden");
                        return false;
                    }
                    _user = user;
                    _acknowledged = true;
                    await SendAsync(w => { w.WriteString("type", "connection_ack"); });
                    return true;
                case "ping":
                    await SendAsync(w =>
                    {
                        w.WriteString("type", "pong");
                        if (payload is { } body) { w.WritePropertyName("payload"); body.WriteTo(w); }
                    });
                    return true;
                case "pong":
                    return true;
                case "subscribe":
                    return await SubscribeAsync(root, payload);
                case "complete":
                    if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
                    {
                        CancellationTokenSource? cts;
                        lock (_operations)
                            if (_operations.Remove(idElement.GetString()!, out cts)) cts.Cancel();
                        return true;
                    }
                    await CloseAsync(CloseCodes.BadRequest, "Invalid message received");
                    return false;
                default:
                    await CloseAsync(CloseCodes.BadRequest, "Invalid message received");
                    return false;
            }
        }
    }

    private static string? BearerToken(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } p) return null;
        foreach (var name in new[] { "Authorization", "authorization" })
        {
            if (!p.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) continue;
            var text = value.GetString()!.Trim();
            return text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? text[7..].Trim() : text;
        }
        return null;
    }

    private async Task<bool> SubscribeAsync(JsonElement message, JsonElement? payload)
    {
        if (!_acknowledged)
        {
            await CloseAsync(CloseCodes.Unauthorized, "Unauthorized");
            return false;
        }
        if (!message.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 } id
            || payload is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            await CloseAsync(CloseCodes.BadRequest, "Invalid message received");
            return false;
        }
        JsonElement? Optional(string name, JsonValueKind kind) =>
            body.TryGetProperty(name, out var v) && v.ValueKind == kind ? v : null;
        var request = new GraphQLRequest(query.GetString(), Optional("operationName", JsonValueKind.String)?.GetString(),
            Optional("variables", JsonValueKind.Object), Optional("extensions", JsonValueKind.Object));

        var cts = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        bool added;
        lock (_operations) added = _operations.TryAdd(id, cts);
        if (!added)
        {
            cts.Dispose();
            await CloseAsync(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
            return false;
        }
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => RunOperationAsync(id, request, cts, opened));
        // The next message is read only once a subscription's source stream is open: a client that has the answer to a
        // later message (a pong, say) knows that events raised from then on reach the subscription.
        await opened.Task;
        return true;
    }

    private async Task RunOperationAsync(string id, GraphQLRequest request, CancellationTokenSource cts, TaskCompletionSource opened)
    {
        var token = cts.Token;
        try
        {
            var preparation = engine.Prepare(request.Query, request.OperationName);
            if (preparation.Failure is { } failure)
            {
                opened.TrySetResult();
                Forget(id, cts);
                await SendErrorAsync(id, failure.Errors!, token);
                return;
            }
            await using var scope = scopes.CreateAsyncScope();
            var operation = preparation.Operation!;
            if (operation.Kind == Documents.OperationKind.Subscription)
            {
                IAsyncEnumerable<ExecutionResult> results;
                try { results = await engine.OpenSubscriptionAsync(operation, request.Variables, scope.ServiceProvider, _user, token); }
                finally { opened.TrySetResult(); }
                await foreach (var result in results.WithCancellation(token))
                {
                    if (!result.HasData)
                    {
                        Forget(id, cts);
                        await SendErrorAsync(id, result.Errors!, token);
                        return;
                    }
                    await SendNextAsync(id, result, token);
                }
            }
            else
            {
                opened.TrySetResult();
                var result = await engine.ExecuteAsync(operation, request.Variables, scope.ServiceProvider, _user, token);
                if (!result.HasData)
                {
                    Forget(id, cts);
                    await SendErrorAsync(id, result.Errors!, token);
                    return;
                }
                await SendNextAsync(id, result, token);
            }
            if (Forget(id, cts) && !token.IsCancellationRequested)
                await SendAsync(w => { w.WriteString("id", id); w.WriteString("type", "complete"); }, token);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        catch (Exception e)
        {
            try { await SendErrorAsync(id, [GraphQLError.WithCode($"Unexpected Execution Error: {e.GetType().Name}", ErrorCodes.InternalError)], token); }
            catch (Exception) { /* the socket is gone */ }
        }
        finally
        {
            opened.TrySetResult();
            Forget(id, cts);
            cts.Dispose();
        }
    }

    /// <summary>Frees the id (before the operation's last message, so the client may reuse it at once); false if the client completed it.</summary>
    private bool Forget(string id, CancellationTokenSource cts)
    {
        lock (_operations)
        {
            if (!_operations.TryGetValue(id, out var current) || current != cts) return false;
            _operations.Remove(id);
            return true;
        }
    }

    private async Task SendErrorAsync(string id, IReadOnlyList<GraphQLError> errors, CancellationToken cancellation)
    {
        // Removing the id first makes the "error" final: no complete follows.
        await SendAsync(w =>
        {
            w.WriteString("id", id);
            w.WriteString("type", "error");
            w.WritePropertyName("payload");
            ResultJson.WriteErrors(w, errors);
        }, cancellation);
    }

    private Task SendNextAsync(string id, ExecutionResult result, CancellationToken cancellation) =>
        SendAsync(w =>
        {
            w.WriteString("id", id);
            w.WriteString("type", "next");
            w.WritePropertyName("payload");
            ResultJson.Write(w, result);
        }, cancellation);

    private async Task SendAsync(Action<Utf8JsonWriter> writeBody, CancellationToken cancellation = default)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }
        await _sendLock.WaitAsync(cancellation);
        try
        {
            // A message of an operation the client completed while the message waited for the socket is not sent. The send
            // itself stops only with the connection: cancelling a WebSocket send aborts the socket, every operation with it.
            cancellation.ThrowIfCancellationRequested();
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, _closing.Token);
        }
        finally { _sendLock.Release(); }
    }

    private async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (WebSocketException) { }
        finally { _sendLock.Release(); }
        await _closing.CancelAsync();
        _receiving.CancelAfter(CloseGrace);
    }
}
