import DriveEngine
import Foundation
import GRDB
import Logging
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
    var emails = 200
    let root: String

    static func main(_ arguments: [String]) throws {
        var bench = NotifyBench(root: FileManager.default.temporaryDirectory.path + "/cairn-bench-notify-\(getpid())")
        var args = arguments[...]
        while let arg = args.popFirst() {
            switch arg {
            case "--events": bench.events = max(1, Int(args.popFirst() ?? "") ?? bench.events)
            case "--rate": bench.rate = max(1, Int(args.popFirst() ?? "") ?? bench.rate)
            case "--seconds": bench.seconds = max(0.5, Double(args.popFirst() ?? "") ?? bench.seconds)
            case "--emails": bench.emails = max(0, Int(args.popFirst() ?? "") ?? bench.emails)
            case "-h", "--help":
                print("""
                    usage: cairn-bench notify [--events N] [--rate R] [--seconds S] [--emails M]
                      Fan-out throughput: N journal events (default 100,000) into a sharee's inbox.
                      Latency: R events/s (default 1,000) for S seconds (default 5), from commit to inbox
                      row and to a watching app's unread badge (exact percentiles).
                      Email: M messages (default 200; 0 skips) through msmtp into a local aiosmtpd server
                      (apt-get install msmtp python3-aiosmtpd), messages per second.
                    """)
                return
            default:
                FileHandle.standardError.write(Data("cairn-bench notify: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
        // The delivery log would interleave with the figures: warnings and worse, on stderr.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
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
        if emails > 0 {
            let seconds = try emailThroughput()
            print("email: \(emails) messages through msmtp into aiosmtpd in \(String(format: "%.2f", seconds)) s = "
                  + "\(String(format: "%.1f", Double(emails) / seconds)) messages/s")
        }
    }

    /// Sends `emails` messages through Debian's msmtp into aiosmtpd on 127.0.0.1, with the
    /// workers' own concurrency; returns the seconds from the first claim to the last answer.
    func emailThroughput() throws -> Double {
        let port = try Self.freePort()
        let server = try Spawn.start(["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Sink"],
                                     environment: ["PATH=/usr/bin:/bin"], stdout: root + "/smtp.log")
        defer {
            kill(server, SIGKILL)
            waitpid(server, nil, 0)
        }
        let msmtp = root + "/msmtprc"
        try Data("account default\nhost 127.0.0.1\nport \(port)\nfrom cairn@localhost\nauth off\ntls off\n".utf8)
            .write(to: URL(fileURLWithPath: msmtp))
        chmod(msmtp, 0o600)
        let configuration = try NotifierConfiguration.parse("[email]\ncommand = msmtp -C \(msmtp) -t -i\n[delivery]\nconcurrency = 4")
        let pool = try Self.pool(root + "/email.sqlite")
        var migrator = DatabaseMigrator()
        NotifierSchema.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        let notifier = Notifier(database: pool, configuration: configuration)
        let workers = NotifierWorkers(notifier: notifier, providers: [SendmailProvider(configuration: configuration)])
        let ready = Date().addingTimeInterval(10)
        while (try? Self.connect(port)) != true && Date() < ready { Thread.sleep(forTimeInterval: 0.05) }
        let recipient = Recipient(id: 1, name: "bob", email: "bob@example.com")
        let made = try notifier.send(Notice(key: "warm-up", kind: "notice", title: "warm up", body: "."), to: [recipient])
        guard workers.drain(made.flatMap(\.messageIds), timeout: 10) == 0 else { throw BenchFailure(description: "the SMTP server took no mail") }
        var ids: [Int64] = []
        for index in 0..<emails {
            ids += try notifier.send(Notice(key: "bench-\(index)", kind: "notice", title: "보고서 \(index) edited",
                                            body: "bob saved version \(index) of /team/보고서.md."), to: [recipient]).flatMap(\.messageIds)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let left = workers.drain(ids, timeout: 600)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let delivered = try notifier.status().first { $0.channel == .email }?.delivered ?? 0
        guard left == 0, delivered == emails + 1 else { throw BenchFailure(description: "\(delivered - 1) of \(emails) emails delivered") }
        return seconds
    }

    /// A connection pool to the database at `path` that waits for other writers, as cairn's own do.
    static func pool(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchFailure(description: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something listens on 127.0.0.1:`port`.
    static func connect(_ port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: UInt16(port).bigEndian, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
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
        let pool = try Self.pool(store.drive.location.path + "/meta.sqlite")
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
        let producer = try Self.pool(location.path + "/meta.sqlite")
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
