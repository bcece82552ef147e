@testable import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit

/// Entries and versions made in memory, for reducer tests that need no store.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_740_819_600)

    static func entry(_ path: String, id: Int64, folder: Bool = false, size: Int64 = 10, hours: Double = 0,
                      versions: Int = 1, by: String = "minji") -> Entry {
        let drivePath = try! DrivePath(path)
        let item = Item(id: id, parentId: 1, ownerId: 1, name: drivePath.name, kind: folder ? .folder : .file,
                        createdAt: start, modifiedAt: start.addingTimeInterval(hours * 3600), modifiedBy: 1,
                        headVersionId: folder ? nil : id * 100 + Int64(versions), size: folder ? 0 : size,
                        versionCount: folder ? 0 : versions)
        return Entry(item: item, path: drivePath, modifiedByName: by)
    }

    static func version(_ number: Int, head: Bool = false, pinned: Bool = false, size: Int64 = 10) -> VersionEntry {
        let version = Version(id: Int64(number), itemId: 7, number: number, size: size, digest: Data(repeating: 0xAB, count: 32),
                              authorId: 1, createdAt: start.addingTimeInterval(Double(number) * 3600), baseVersionId: nil,
                              restoredFrom: nil, state: "committed", pinned: pinned, blockCount: 1, newBlocks: 1)
        return VersionEntry(version: version, authorName: "minji", isHead: head)
    }

    /// A notification, unread unless `read`, about item `item` (version `version`) if given.
    static func notification(_ id: Int64, _ title: String, kind: String = "put", read: Bool = false,
                             item: Int64? = 7, version: Int? = 2) -> InboxRow {
        InboxRow(id: id, kind: kind, title: title, body: "\(title).", link: item.map { NotificationLink(item: $0, version: version) },
                 createdAt: start.addingTimeInterval(Double(id) * 60), isRead: read)
    }

    /// A journal entry as another process's change writes it: `kind` of item `item` at `path`
    /// (the owner's path), owned by user `owner` (minji is 1), made by `actor` (alice is 2).
    static func change(_ kind: ChangeKind, _ path: String, item: Int64?, owner: Int64 = 1, by actor: Int64 = 2,
                       target: Int64? = nil, oldParent: Int64? = nil, newParent: Int64? = nil) -> JournalEntry {
        JournalEntry(at: start, kind: kind, actorId: actor, ownerId: owner, itemId: item, path: path, targetUserId: target,
                     oldParentId: oldParent, newParentId: newParent)
    }

    /// The folder "/" with two folders and three files.
    static let rootEntries = [
        entry("/Documents", id: 2, folder: true),
        entry("/사진", id: 3, folder: true),
        entry("/b.txt", id: 4, size: 300, hours: 1, versions: 2),
        entry("/a.txt", id: 5, size: 20, hours: 3, versions: 5, by: "alice"),
        entry("/한글.md", id: 6, size: 100, hours: 2),
    ]

    /// A state at 100×30 showing `rootEntries`.
    static func browsing() -> AppState {
        var state = AppState(context: Harness.context(), size: TerminalSize(width: 100, height: 30))
        _ = reduce(&state, .listed(.root, rootEntries))
        return state
    }

    /// `browsing()` with the user names loaded, so the app knows minji is user 1.
    static func browsingKnowingUsers() -> AppState {
        var state = browsing()
        _ = reduce(&state, .usersLoaded([1: "minji", 2: "alice", 3: "bob"]))
        return state
    }

    /// Names on screen, in order.
    static func names(_ state: AppState) -> [String] {
        state.browser.rows.indices.map { state.browser.entry(atRow: $0).item.name }
    }

    /// What `keys` do, one after another, through the keymap and the reducer.
    @discardableResult
    static func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += reduce(&state, Keymap.action(for: key, in: state)) }
        return effects
    }
}
