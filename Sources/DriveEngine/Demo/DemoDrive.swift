import Foundation
import Notifier
import Synchronization

/// Builds the demo drive that `cairn demo` opens: several users, Korean and English names,
/// files with histories worth diffing, a pinned version, a restored version and an item in the
/// trash.
///
/// Everything goes through the public `Drive`/`DriveSession` API, as a user at the CLI would do
/// it. The history is laid out over the two weeks before the clock's time when `build` starts and
/// every byte is fixed, so the same clock gives the same drive. Where the store lives is the
/// caller's business.
public enum DemoDrive {
    /// The user the demo opens as (김민지); the others are `alice`, `bob` and `junho`.
    public static let mainUser = "minji"

    /// Every user of the demo, main user first.
    public static let users = [mainUser, "alice", "bob", "junho"]

    /// A folder with a Korean name, holding the files below.
    public static let koreanFolder = "/문서"
    /// Meeting notes edited four times; version 2 is pinned.
    public static let meetingNotes = "/문서/회의록.md"
    /// A Swift source file edited three times.
    public static let swiftSource = "/Projects/cairn/Sources/Chunker.swift"
    /// A file whose head (version 3) restores version 1.
    public static let restoredFile = "/Projects/cairn/README.md"
    /// A small binary file (a 1×1 PNG).
    public static let binaryFile = "/사진/아이콘.png"
    /// An empty file.
    public static let emptyFile = "/문서/빈 파일.txt"
    /// Where the item in the trash was.
    public static let trashedFile = "/문서/초안 (old).md"

    /// Creates a fresh store at `location`, fills it with the demo and returns it open.
    ///
    /// While building, the drive reads a scripted clock; afterwards it reads `clock`, so what the
    /// user does next is stamped with real time. Fails with `alreadyExists` when `location`
    /// already holds a store.
    public static func build(at location: URL, clock: @escaping @Sendable () -> Date = Date.init) throws(DriveError) -> Drive {
        if FileManager.default.fileExists(atPath: location.appendingPathComponent("meta.sqlite").path) {
            throw DriveError(.alreadyExists, "demo", location.path, "a store exists here", hint: "remove it or choose another folder")
        }
        let script = DemoClock(live: clock)
        let drive = try Drive.open(at: location, clock: script.now)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var writer = DemoWriter(drive: drive, clock: script, scratch: scratch)
        try writer.writeHistory()
        script.goLive()
        return drive
    }
}

/// The clock of a demo drive: scripted times while the demo is written, the live clock after.
/// Thread-safe: the scripted time is a `Mutex`.
final class DemoClock: Sendable {
    private let scripted: Mutex<Date?>
    private let live: @Sendable () -> Date
    /// When the build started; the history ends shortly before it.
    let start: Date

    init(live: @escaping @Sendable () -> Date) {
        self.live = live
        let start = live()
        self.start = start
        scripted = Mutex(start)
    }

    func now() -> Date {
        scripted.withLock { $0 } ?? live()
    }

    /// Makes the drive's time `hours` before the build started.
    func set(hoursAgo hours: Double) {
        let start = self.start
        scripted.withLock { $0 = start.addingTimeInterval(-hours * 3600) }
    }

    func goLive() {
        scripted.withLock { $0 = nil }
    }
}

/// Writes the demo's history step by step, each step at its own scripted time.
struct DemoWriter {
    let drive: Drive
    let clock: DemoClock
    let scratch: URL
    private var written = 0

    init(drive: Drive, clock: DemoClock, scratch: URL) {
        self.drive = drive
        self.clock = clock
        self.scratch = scratch
    }

    mutating func writeHistory() throws(DriveError) {
        clock.set(hoursAgo: 24 * 14)
        try drive.addUser(name: DemoDrive.mainUser, displayName: "김민지", email: "minji@example.com", phone: "+82 10-1234-5678")
        try drive.addUser(name: "alice", displayName: "Alice Park", email: "alice@example.com", phone: "+1 415-555-0100")
        try drive.addUser(name: "bob", displayName: "Bob Lee", email: "bob@example.com", phone: "+44 20 7946 0000")
        try drive.addUser(name: "junho", displayName: "이준호", email: "junho@example.com")
        // The addresses are made up: the demo's notifications go to the inbox only.
        for user in try drive.users() {
            for channel in Channel.queued {
                do { try drive.notifier.setRule(channel, kind: "*", enabled: false, for: user.id!) } catch {
                    throw DriveError(.io, "demo", "notifications", error.description)
                }
            }
        }
        let minji = try drive.session(for: DemoDrive.mainUser)
        let alice = try drive.session(for: "alice")
        let bob = try drive.session(for: "bob")
        let junho = try drive.session(for: "junho")

        clock.set(hoursAgo: 24 * 13 + 6)
        for folder in [DemoDrive.koreanFolder, "/Projects/cairn/Sources", "/사진/제주도", "/Backup"] {
            try minji.makeFolder(folder, parents: true)
        }
        try put(minji, DemoContent.meetingNotes[0], to: DemoDrive.meetingNotes, at: 24 * 13 + 5)
        try put(minji, DemoContent.oldDraft, to: DemoDrive.trashedFile, at: 24 * 13 + 4)
        try put(minji, DemoContent.readme[0], to: DemoDrive.restoredFile, at: 24 * 13 + 3)
        try put(minji, DemoContent.chunkerSource[0], to: DemoDrive.swiftSource, at: 24 * 12 + 8)
        try put(minji, DemoContent.budget[0], to: "/문서/budget.csv", at: 24 * 12 + 7)
        try put(minji, "", to: DemoDrive.emptyFile, at: 24 * 12 + 6)
        try put(minji, DemoContent.meetingNotes[1], to: DemoDrive.meetingNotes, at: 24 * 12 + 2)

        clock.set(hoursAgo: 24 * 11)
        try minji.pin(DemoDrive.meetingNotes, version: 2)
        try minji.move("/문서/budget.csv", to: "/문서/예산.csv")
        try put(minji, DemoContent.budget[1], to: "/문서/예산.csv", at: 24 * 10 + 5)
        try put(minji, DemoContent.chunkerSource[1], to: DemoDrive.swiftSource, at: 24 * 10 + 3)

        let photo = DemoContent.photo(size: 3 << 20, seed: 20_250_301)
        try put(minji, photo, to: "/사진/제주도/성산일출봉.jpg", at: 24 * 9)
        try put(minji, DemoContent.icon, to: DemoDrive.binaryFile, at: 24 * 9 - 1)
        try put(minji, photo, to: "/Backup/성산일출봉 (사본).jpg", at: 24 * 9 - 2)
        try put(minji, DemoContent.editedPhoto(photo, tail: 64 << 10, seed: 20_250_302), to: "/사진/제주도/성산일출봉.jpg", at: 24 * 8)
        try put(alice, DemoContent.aliceNotes[0], to: "/Design/logo-notes.md", at: 24 * 7 + 5)
        try put(bob, DemoContent.bobConfig, to: "/ci/tmux.conf", at: 24 * 6 + 6)

        try put(minji, DemoContent.meetingNotes[2], to: DemoDrive.meetingNotes, at: 24 * 6 + 4)
        try put(minji, DemoContent.readme[1], to: DemoDrive.restoredFile, at: 24 * 5 + 2)
        clock.set(hoursAgo: 24 * 5)
        try minji.trash(DemoDrive.trashedFile)
        try put(alice, DemoContent.aliceNotes[1], to: "/Design/logo-notes.md", at: 24 * 4 + 1)
        try put(alice, DemoContent.icon, to: "/Design/logo.png", at: 24 * 4)
        try put(minji, DemoContent.chunkerSource[2], to: DemoDrive.swiftSource, at: 24 * 3 + 7)
        try put(junho, DemoContent.junhoNotes, to: "/한국어 폴더/문서.md", at: 24 * 3)
        clock.set(hoursAgo: 24 * 2 + 1)
        try minji.restore(DemoDrive.restoredFile, version: 1)
        try put(minji, DemoContent.todo, to: "/할 일.txt", at: 24 + 3)
        // Shares both ways: minji shares /문서 with alice (editor) and bob (viewer); alice shares
        // /Design with minji (viewer); junho shares his Korean folder with minji (editor). Alice then
        // adds a file to minji's folder as a sharee (authored by alice, owned by minji).
        clock.set(hoursAgo: 3)
        try minji.share(DemoDrive.koreanFolder, with: "alice", role: .editor)
        try minji.share(DemoDrive.koreanFolder, with: "bob", role: .viewer)
        try alice.share("/Design", with: "minji", role: .viewer)
        try junho.share("/한국어 폴더", with: "minji", role: .editor)
        try put(minji, DemoContent.meetingNotes[3], to: DemoDrive.meetingNotes, at: 2)

        try put(alice, DemoContent.aliceNotes[0], to: "/shared/문서/alice 메모.md", at: 1)
    }

    /// Puts `text` as a new version of `path`, stamped `hours` before the build started.
    mutating func put(_ session: DriveSession, _ text: String, to path: String, at hours: Double) throws(DriveError) {
        try put(session, Data(text.utf8), to: path, at: hours)
    }

    /// Puts `data` as a new version of `path`, stamped `hours` before the build started. Each
    /// version goes through its own local file, as if a user saved and re-added it.
    mutating func put(_ session: DriveSession, _ data: Data, to path: String, at hours: Double) throws(DriveError) {
        written += 1
        let local = scratch.appendingPathComponent("\(written)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try data.write(to: local)
        } catch {
            throw DriveError(.io, "demo", local.path, "cannot write a temporary file: \(error.localizedDescription)")
        }
        clock.set(hoursAgo: hours)
        try session.put(local: local.path, to: path)
    }
}
