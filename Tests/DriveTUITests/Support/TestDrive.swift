import DriveEngine
import Foundation

/// A clock the test moves by hand. Thread-safe via `lock` (the engine reads it from its queues).
final class ManualClock: @unchecked Sendable {
    /// 2025-03-01 09:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_740_819_600)
    private let lock = NSLock()
    private var current = ManualClock.start  // guarded by lock

    func now() -> Date { lock.withLock { current } }

    /// Sets the time to `hours` after the start.
    func set(hours: Double) { lock.withLock { current = Self.start.addingTimeInterval(hours * 3600) } }
}

/// A real store in a fresh temp folder, filled with a small drive for user "minji" at fixed
/// times: Korean and English names, a file with three versions (one pinned), a binary file,
/// an empty file, a long name, an empty folder and an item in the trash. Removed on deinit.
final class TestDrive: @unchecked Sendable {
    let root: URL
    let clock = ManualClock()
    let drive: Drive
    let session: DriveSession
    private var written = 0

    static let report = "/Documents/보고서.txt"
    static let reportVersions = [
        "분기 보고서\n\n매출: 100\n비용: 80\n",
        "분기 보고서\n\n매출: 120\n비용: 80\n이익: 40\n",
        "분기 보고서 (최종)\n\n매출: 120\n비용: 85\n이익: 35\n\n검토: alice\n",
    ]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tui-\(UUID().uuidString)")
        let clock = clock
        drive = try Drive.open(at: root.appendingPathComponent("store"), clock: { clock.now() })
        try drive.addUser(name: "minji", displayName: "김민지")
        try drive.addUser(name: "alice")
        session = try drive.session(for: "minji")
        try fill()
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// A local scratch folder for files the tests add.
    var local: URL { root.appendingPathComponent("local") }

    private func fill() throws {
        clock.set(hours: 0)
        try session.makeFolder("/Documents")
        try session.makeFolder("/사진")
        try session.makeFolder("/Projects")
        for (index, text) in Self.reportVersions.enumerated() {
            try put(Data(text.utf8), to: Self.report, hours: 1 + Double(index) * 24)
        }
        try session.pin(Self.report, version: 2)
        try put(Data("# Notes\n\n- buy milk\n".utf8), to: "/Documents/notes.md", hours: 5)
        try put(Data("hello\n".utf8), to: "/Documents/아주 긴 이름의 파일 이름이 계속 이어지는 문서입니다.txt", hours: 6)
        try put(Data("draft\n".utf8), to: "/Documents/old draft.txt", hours: 7)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
        png.append(Data((0..<40).map { UInt8($0) }))
        try put(png, to: "/사진/icon.png", hours: 8)
        try put(Data("# Cairn\n".utf8), to: "/README.md", hours: 9)
        try put(Data("# Cairn\n\nA drive for the terminal.\n".utf8), to: "/README.md", hours: 30)
        try put(Data(), to: "/empty.txt", hours: 10)
        clock.set(hours: 80)
        try session.trash("/Documents/old draft.txt")
        clock.set(hours: 100)
    }

    /// Gives minji notifications: she shares /Documents with alice as an editor, and alice edits
    /// 보고서.txt, makes a folder 회의 자료 and deletes notes.md there, an hour apart; each change
    /// is fanned out to the inboxes at once, as a notification service does.
    func giveMinjiNotifications() throws {
        try session.share("/Documents", with: "alice", role: .editor)
        let alice = try drive.session(for: "alice")
        let file = try writeLocal(".put/alice", Data("분기 보고서 (alice)\n".utf8))
        let changes: [() throws -> Void] = [
            { try alice.put(local: file, to: "/shared/Documents/보고서.txt") },
            { try alice.makeFolder("/shared/Documents/회의 자료") },
            { try alice.trash("/shared/Documents/notes.md") },
        ]
        for (index, change) in changes.enumerated() {
            clock.set(hours: 101 + Double(index))
            try change()
            try drive.fanOutNotifications()
        }
        clock.set(hours: 104)
    }

    /// Writes a local file under `local` and returns its path.
    @discardableResult
    func writeLocal(_ name: String, _ data: Data) throws -> String {
        let url = local.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    private func put(_ data: Data, to path: String, hours: Double) throws {
        written += 1
        let file = try writeLocal(".put/\(written)", data)
        clock.set(hours: hours)
        try session.put(local: file, to: path)
    }
}
