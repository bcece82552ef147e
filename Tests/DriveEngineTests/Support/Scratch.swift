import Blocks
import DriveEngine
import Foundation
import GRDB
import Synchronization
import Testing

/// A fresh store and a fresh local folder for one test, both removed when it ends.
///
/// The store is a real SQLite database and real pack files, as in production; only the chunker
/// parameters are small so that debug builds stay quick. Immutable after `init`.
final class Scratch: @unchecked Sendable {
    /// Small blocks: min 2 KiB, average 8 KiB, max 32 KiB.
    static let smallChunks = ChunkerParameters(minSize: 2048, averageSize: 8192, maxSize: 32768)

    let root: URL
    let store: URL
    /// A folder for local files the test puts and gets.
    let local: URL
    let clock: TestClock
    let drive: Drive
    /// A session for the user "alice".
    let session: DriveSession

    init(chunker: ChunkerParameters = Scratch.smallChunks) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-engine-\(UUID().uuidString)")
        store = root.appendingPathComponent("store")
        local = root.appendingPathComponent("local")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        let clock = TestClock()
        self.clock = clock
        drive = try Drive.open(at: store, settings: .fresh(chunker: chunker), clock: { clock.now() })
        try drive.addUser(name: "alice", email: "alice@example.com")
        session = try drive.session(for: "alice")
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// A session for another user, created on first use.
    func session(for name: String) throws -> DriveSession {
        _ = try drive.user(named: name, createIfMissing: true)
        return try drive.session(for: name)
    }

    /// The absolute local path of `relative` below the scratch folder.
    func path(_ relative: String) -> String {
        local.appendingPathComponent(relative).path
    }

    /// Writes `data` to `relative` (creating its folders) and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> String {
        let url = local.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    /// Makes the folder `relative` (and its parents) and returns the absolute path.
    @discardableResult
    func makeFolder(_ relative: String) throws -> String {
        let url = local.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func read(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }
}

/// A clock that moves one second forward on every reading, so times are distinct and ordered.
/// Thread-safe: the time is a `Mutex`.
final class TestClock: Sendable {
    private let seconds = Mutex<TimeInterval>(1_700_000_000)

    func now() -> Date {
        seconds.withLock { seconds in
            seconds += 1
            return Date(timeIntervalSince1970: seconds)
        }
    }

    /// Moves the clock `days` days forward.
    func advance(days: Double) {
        seconds.withLock { $0 += days * 86_400 }
    }
}

/// Deterministic pseudo-random bytes: incompressible, and different for every seed.
func randomBytes(_ count: Int, seed: UInt64) -> Data {
    var generator = SeededGenerator(seed: seed)
    return Data(generator.bytes(count))
}

/// Compressible text of `count` bytes.
func textBytes(_ count: Int, seed: UInt64) -> Data {
    var generator = SeededGenerator(seed: seed)
    let words = ["cairn", "drive", "block", "version", "한글", "stone", "path", "folder", "sync", "trail"]
    var text = ""
    while text.utf8.count < count {
        text += words[Int(generator.next() % UInt64(words.count))] + (generator.next() % 9 == 0 ? "\n" : " ")
    }
    return Data(text.utf8.prefix(count))
}

/// Runs `body` and expects it to throw a `DriveError` with `code`; returns the error.
@discardableResult
func expectDriveError(_ code: DriveError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> Void) -> DriveError? {
    do {
        try body()
        Issue.record("expected a DriveError \(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as DriveError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a DriveError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension Scratch {
    /// Reads the store's metadata database directly, as another process would.
    func query<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: store.appendingPathComponent("meta.sqlite").path, configuration: configuration)
        return try queue.read(body)
    }
}
