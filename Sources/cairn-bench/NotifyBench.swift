import DriveEngine
import Foundation
import GRDB
import Notifier
import Synchronization

/// `cairn-bench notify`: how fast journal events become inbox rows, and how long a change
/// takes to reach the inbox and a watching app's badge.
///
/// - throughput: 100,000 `put` entries (written straight into the journal in one transaction,
///   as 100,000 commits would leave them) fanned out to a sharee's inbox by one pass;
/// - latency: a producer commits one entry per millisecond for `seconds`, while the store's
///   notification service (fan-out on its own thread, woken by the WAL write) and a badge
///   watcher (what the full-screen app runs: wait for a write, read the unread count) run on
///   their own connections; latency is from the entry's commit to its inbox row, and to the
///   moment the watcher saw it.
struct NotifyBench {
    var events = 100_000
    var rate = 1_000
    var seconds = 5.0
    let root: String

    static func main(_ arguments: [String]) throws {
        var bench = NotifyBench(root: FileManager.default.temporaryDirectory.path + "/cairn-bench-notify-\(getpid())")
        var args = arguments[...]
        while let arg = args.popFirst() {
            switch arg {
            case "--events": bench.events = max(1, Int(args.popFirst() ?? "") ?? bench.events)
            case "--rate": bench.rate = max(1, Int(args.popFirst() ?? "") ?? bench.rate)
            case "--seconds": bench.seconds = max(0.5, Double(args.popFirst() ?? "") ?? bench.seconds)
            case "-h", "--help":
                print("""
                    usage: cairn-bench notify [--events N] [--rate R] [--seconds S]
                      Fan-out throughput: N journal events (default 100,000) into a sharee's inbox.
                      Latency: R events/s (default 1,000) for S seconds (default 5), from commit to inbox
                      row and to a watching app's unread badge (exact percentiles).
                    """)
                return
            default:
                FileHandle.standardError.write(Data("cairn-bench notify: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
        try FileManager.default.createDirectory(atPath: bench.root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bench.root) }
        try bench.run()
    }

    func run() throws {
        let throughput = try fanOutThroughput()
        print("fan-out: \(events) events into the inbox in \(String(format: "%.2f", throughput.seconds)) s = "
              + "\(Int(Double(events) / throughput.seconds)) events/s")
        let latency = try liveLatency()
        print("latency at \(rate) events/s for \(seconds) s (\(latency.inbox.count) events):")
        print("  commit → inbox row:   \(Self.percentiles(latency.inbox))")
        print("  commit → app badge:   \(Self.percentiles(latency.badge))")
    }

    /// A store where alice shares /team with bob and owns /team/report.txt; its item id.
    func makeStore(_ name: String) throws -> (drive: Drive, item: Int64, alice: Int64, bob: Int64) {
        let drive = try Drive.open(at: URL(fileURLWithPath: root + "/" + name))
        let alice = try drive.addUser(name: "alice")
        let bob = try drive.addUser(name: "bob")
        let session = try drive.session(for: "alice")
        try session.makeFolder("/team")
        try session.share("/team", with: "bob", role: .editor)
        let file = root + "/\(name)-report.txt"
        try Data("report".utf8).write(to: URL(fileURLWithPath: file))
        try session.put(local: file, to: "/team/report.txt")
        try drive.fanOutNotifications()
        return (drive, try session.item(at: "/team/report.txt").id!, alice.id!, bob.id!)
    }

    /// Appends `count` put entries of `item` by `actor` in one transaction of `pool`.
    static func journal(_ pool: DatabaseWriter, count: Int, item: Int64, actor: Int64, from number: Int) throws {
        try pool.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO journal (at, kind, actorId, ownerId, itemId, versionNumber, path) VALUES (?, 'put', ?, ?, ?, ?, '/team/report.txt')
                """)
            for index in 0..<count {
                try statement.execute(arguments: [Date().timeIntervalSince1970, actor, actor, item, number + index])
            }
        }
    }

    func fanOutThroughput() throws -> (seconds: Double, rows: Int) {
        let store = try makeStore("throughput")
        let pool = try DatabasePool(path: store.drive.location.path + "/meta.sqlite")
        try Self.journal(pool, count: events, item: store.item, actor: store.alice, from: 2)
        let start = DispatchTime.now().uptimeNanoseconds
        let report = try store.drive.fanOutNotifications(batch: 2000)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard report.inboxRows == events else { throw BenchFailure(description: "fan-out made \(report.inboxRows) inbox rows for \(events) events") }
        return (seconds, report.inboxRows)
    }

    func liveLatency() throws -> (inbox: [Double], badge: [Double]) {
        let store = try makeStore("latency")
        let location = store.drive.location
        let consumer = try Drive.open(at: location, create: false)
        let service = NotificationService(drive: consumer, providers: [])
        service.start()
        let watcher = try Drive.open(at: location, create: false)
        let seen = Mutex<[Int64: Double]>([:])   // inbox row id → when the badge watcher saw it
        let stop = Mutex(false)
        let badge = Thread {
            var latest = (try? watcher.notifier.inboxSummary(for: store.bob).latestId) ?? 0
            while !stop.withLock({ $0 }) {
                watcher.waitForWrite(seconds: 0.5)
                guard let summary = try? watcher.notifier.inboxSummary(for: store.bob), summary.latestId > latest else { continue }
                let now = Date().timeIntervalSince1970
                seen.withLock { for id in (latest + 1)...summary.latestId { $0[id] = now } }
                latest = summary.latestId
            }
        }
        badge.start()
        let start = try store.drive.latestSequence()
        let producer = try DatabasePool(path: location.path + "/meta.sqlite")
        let total = Int(Double(rate) * seconds)
        let began = Date()
        for index in 0..<total {
            try Self.journal(producer, count: 1, item: store.item, actor: store.alice, from: 1000 + index)
            let due = began.addingTimeInterval(Double(index + 1) / Double(rate))
            let wait = due.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        Thread.sleep(forTimeInterval: 1)
        stop.withLock { $0 = true }
        service.stop()
        let rows = try producer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT notifyInbox.id, notifyInbox.createdAt, journal.at FROM notifyInbox
                JOIN journal ON notifyInbox.key = 'journal:' || journal.seq WHERE journal.seq > ? AND notifyInbox.recipientId = ?
                """, arguments: [start, store.bob])
        }
        guard rows.count == total else { throw BenchFailure(description: "\(rows.count) of \(total) events reached the inbox") }
        let seenAt = seen.withLock { $0 }
        let inbox = rows.map { ($0["createdAt"] as Double) - ($0["at"] as Double) }
        let badgeTimes = rows.compactMap { row in seenAt[row["id"]].map { $0 - (row["at"] as Double) } }
        return (inbox, badgeTimes)
    }

    /// "p50 1.2 ms, p90 …, p99 …, max …" of `seconds`, exact.
    static func percentiles(_ seconds: [Double]) -> String {
        guard !seconds.isEmpty else { return "no samples" }
        let sorted = seconds.sorted()
        func at(_ fraction: Double) -> String {
            String(format: "%.1f ms", sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] * 1000)
        }
        return "p50 \(at(0.5)), p90 \(at(0.9)), p99 \(at(0.99)), max \(String(format: "%.1f ms", sorted.last! * 1000)) (\(sorted.count) samples)"
    }
}
