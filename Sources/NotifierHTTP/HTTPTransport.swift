import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Notifier
import Synchronization

/// What a service answered: the status, the headers and the start of the body (enough for an
/// error's reason; a receiver's long reply is cut, see `CappedResponse`).
struct HTTPReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The status as an answer's `status` field.
    var code: String { String(status) }

    /// The service's Retry-After, in seconds.
    var retryAfter: TimeInterval? { parseRetryAfter(headers.first(name: "retry-after")) }

    /// The body as text, for an answer's detail when it is not the JSON the service documents.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded as `type`, or nil when it is not that JSON (an HTML error page, say).
    func decode<T: Decodable>(_ type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: body)
    }
}

/// A blocking POST over the one HTTP client all providers share.
///
/// Providers answer synchronously on a worker's Dispatch queue, so each request is started on
/// the client's event loops and waited for; a Dispatch thread is never an event loop, so the
/// wait cannot deadlock. Every way a request can fail becomes an answer, never a throw.
struct HTTPTransport: Sendable {
    /// The shared client. It lives as long as the process and is never shut down: connections
    /// (APNs' HTTP/2 one above all) are reused across messages, and a client is never
    /// deinitialised while running, which AsyncHTTPClient treats as a bug.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // HTTP/2 when the server offers it over ALPN (APNs requires it), HTTP/1.1 otherwise.
        configuration.httpVersion = .automatic
        // A refused connection is an answer now (the message is retried with backoff), not a
        // loop of reconnects until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Seconds one request may take, connecting included.
    var timeout: TimeInterval
    /// How to trust the server over https (nil: the system's roots).
    var tls: TLSConfiguration?

    /// POSTs `body` to `url` and turns the reply into an answer with `classify`; a failure to
    /// reach the service is classified here.
    func post(_ url: String, headers: [(String, String)], body: Data,
              classify: (HTTPReply) -> ProviderAnswer) -> ProviderAnswer {
        do {
            var request = try HTTPClient.Request(url: url, method: .POST, headers: HTTPHeaders(headers), body: .bytes(body))
            request.tlsConfiguration = tls
            let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
            let reply = try Self.client.execute(request: request, delegate: CappedResponse(), deadline: deadline).wait()
            return classify(reply)
        } catch {
            return Self.answer(to: error)
        }
    }

    /// The errors that mean the service did not answer in time.
    private static let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout,
    ]

    /// How a request that got no reply ends: a timeout or a refused or broken connection is
    /// retried; a TLS handshake that fails is a configuration problem (a wrong `ca-file`, or a
    /// server that is not the one configured); a URL the client cannot send to is dropped.
    static func answer(to error: any Error) -> ProviderAnswer {
        if let error = error as? HTTPClientError {
            if timeouts.contains(error) { return ProviderAnswer(.retry, status: "timeout", detail: "\(error)") }
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme {
                return ProviderAnswer(.drop, status: "bad url", detail: "\(error)")
            }
        }
        if isRefused(error) { return ProviderAnswer(.retry, status: "refused", detail: "connection refused") }
        if case NIOSSLError.handshakeFailed = error { return ProviderAnswer(.configuration, status: "tls", detail: "\(error)") }
        return ProviderAnswer(.retry, status: "network", detail: "\(error)")
    }

    /// Whether `error` is a refused TCP connection (the service is down or the port is wrong).
    private static func isRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return !error.connectionErrors.isEmpty && error.connectionErrors.allSatisfy { isRefused($0.error) }
        }
        return false
    }
}

/// Collects a response's status, headers and at most `limit` bytes of its body: a provider
/// needs only a short error body, and a webhook receiver's reply must not fill our memory.
final class CappedResponse: HTTPClientResponseDelegate {
    typealias Response = HTTPReply
    static let limit = 64 * 1024
    private let reply = Mutex(HTTPReply(status: 0, headers: [:], body: Data()))

    func didReceiveHead(task: HTTPClient.Task<HTTPReply>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        reply.withLock {
            $0.status = Int(head.status.code)
            $0.headers = head.headers
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPReply>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        reply.withLock { reply in
            let room = Self.limit - reply.body.count
            if room > 0 { reply.body.append(contentsOf: buffer.readableBytesView.prefix(room)) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<HTTPReply>) throws -> HTTPReply {
        reply.withLock { $0 }
    }
}

extension String {
    /// The longest prefix of at most `limit` UTF-8 bytes that does not cut a character.
    func prefix(utf8Bytes limit: Int) -> String {
        var count = 0
        var end = startIndex
        for character in self {
            count += character.utf8.count
            if count > limit { break }
            end = index(after: end)
        }
        return String(self[..<end])
    }
}

/// `text` without the control characters an HTTP field value may not hold (RFC 9110 §5.5),
/// for a header made of the caller's words (an idempotency key).
func headerValue(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
}

/// `value` as compact JSON with sorted keys, the bytes a provider sends (and, for a webhook,
/// signs).
func jsonBody<T: Encodable>(_ value: T) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Only strings, integers and nested objects of them: encoding cannot fail.
    return try! encoder.encode(value)
}
