import Crypto
import Foundation
import GRDB
import Notifier
@testable import NotifierHTTP
import Synchronization
import Testing

/// A clock the test moves by hand, so a Retry-After of minutes is waited out at once.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// A real `Notifier` on a fresh GRDB database in a temp folder, with this module's providers
/// built from `config` and workers that deliver through them, as a host runs it.
final class Harness {
    let directory: URL
    let clock = TestClock()
    let notifier: Notifier
    let workers: NotifierWorkers

    init(_ config: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try DatabasePool(path: directory.appendingPathComponent("notify.sqlite").path)
        var migrator = DatabaseMigrator()
        NotifierSchema.registerMigrations(in: &migrator)
        try migrator.migrate(database)
        let configuration = try NotifierConfiguration.parse(config)
        let clock = clock
        notifier = Notifier(database: database, configuration: configuration, clock: { clock.now() })
        workers = NotifierWorkers(notifier: notifier, providers: try HTTPProviders.make(configuration))
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a notice with key `key` on `channel` to recipient 1 (who has a phone number, for
    /// SMS); returns the queue rows made.
    @discardableResult
    func send(_ key: String, on channel: Channel) throws -> [Int64] {
        let notice = Notice(key: key, kind: "put", title: "bob put report.txt", body: "in /docs", link: "cairn:/docs/report.txt")
        return try notifier.send(notice, to: [Recipient(id: 1, name: "alice", phone: "+821012345678")], channels: [channel])
            .flatMap(\.messageIds)
    }

    /// A queue row's state, attempt count and notBefore.
    func message(_ id: Int64) throws -> (state: String, attempts: Int, notBefore: Date) {
        let row = try #require(try notifier.database.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts, notBefore FROM notifyMessage WHERE id = ?", arguments: [id])
        })
        return (row["state"], row["attempts"], Date(timeIntervalSince1970: row["notBefore"]))
    }
}

/// A config file's text with `[delivery]` set for tests (fast backoff) and `sections` after it.
func testConfig(_ sections: String, maxAttempts: Int = 8) -> String {
    """
    [delivery]
    backoff-base = 0.01
    backoff-cap = 0.05
    max-attempts = \(maxAttempts)
    lease = 30

    \(sections)
    """
}

/// An APNs signing key written as a .p8 file in `directory`, and the `[apns]` section that
/// sends to `server` with it.
func apnsSection(_ server: TestServer, key: P256.Signing.PrivateKey) throws -> String {
    let keyFile = server.directory.appendingPathComponent("AuthKey_KEY1234567.p8")
    try Data(key.pemRepresentation.utf8).write(to: keyFile)
    return """
        [apns]
        url = \(server.url)
        ca-file = \(try #require(server.caFile))
        topic = com.example.cairn
        team-id = TEAM123456
        key-id = KEY1234567
        key-file = \(keyFile.path)
        timeout = 5
        """
}

/// A message as the workers hand it to a provider.
func outgoing(_ channel: Channel, to address: String, platform: PushPlatform? = nil, secret: String? = nil, id: Int64 = 7,
              key: String = "put:42", link: String? = "cairn:/docs/report.txt") -> OutgoingMessage {
    OutgoingMessage(id: id, channel: channel, address: address, platform: platform, secret: secret, key: key, kind: "put",
                    recipientId: 1, recipientName: "alice", title: "bob put report.txt", body: "in /docs", link: link,
                    createdAt: Date(timeIntervalSince1970: 1_800_000_000))
}

/// The provider of `providers` that sends `message`.
func provider(for message: OutgoingMessage, in providers: [any NotificationProvider]) throws -> any NotificationProvider {
    try #require(providers.first { $0.handles(message) })
}

/// A 127.0.0.1 port nothing listens on: bound by the kernel's choice, then closed.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}

/// `text` decoded from base64url without padding.
func base64URLDecoded(_ text: Substring) throws -> Data {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    return try #require(Data(base64Encoded: base64))
}

/// A provider JWT's header and claims, after checking its signature with `key`.
func verifiedJWT(_ token: String, key: P256.Signing.PublicKey) throws -> (header: [String: Any], claims: [String: Any]) {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    try #require(parts.count == 3)
    let signature = try P256.Signing.ECDSASignature(rawRepresentation: base64URLDecoded(parts[2]))
    #expect(key.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)), "the JWT signature does not verify")
    let header = try #require(try JSONSerialization.jsonObject(with: base64URLDecoded(parts[0])) as? [String: Any])
    let claims = try #require(try JSONSerialization.jsonObject(with: base64URLDecoded(parts[1])) as? [String: Any])
    return (header, claims)
}
