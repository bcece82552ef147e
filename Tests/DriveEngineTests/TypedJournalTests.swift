@testable import DriveEngine
import Foundation
import GRDB
import Testing

/// The journal is the outbox: each entry carries, typed, what a consumer needs (who, whose, what
/// kind, which version, which user and role), with the owner's path whoever acted.
@Suite struct TypedJournalTests {
    @Test func aSharesEditIsJournaledWithTheOwnersPath() throws {
        let scratch = try Scratch()
        let alice = scratch.session
        let bob = try scratch.session(for: "bob")
        try alice.makeFolder("/team")
        let start = try scratch.drive.latestSequence()
        try alice.share("/team", with: "bob", role: .editor)
        try bob.put(local: try scratch.write("notes.md", Data("from bob".utf8)), to: "/shared/team/notes.md")
        try bob.move("/shared/team/notes.md", to: "/shared/team/plan.md")
        try alice.unshare("/team", with: "bob")

        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.kind) == [.shared, .versionAdded, .moved, .unshared])
        #expect(entries.map(\.path) == ["/team", "/team/notes.md", "/team/plan.md", "/team"])
        #expect(entries.map(\.actorId) == [alice.user.id, bob.user.id, bob.user.id, alice.user.id])
        #expect(entries.allSatisfy { $0.ownerId == alice.user.id })
        #expect(entries[0].targetUserId == bob.user.id && entries[0].role == .editor)
        #expect(entries[3].targetUserId == bob.user.id && entries[3].role == nil)
        #expect(entries[1].versionNumber == 1 && entries[1].versionId != nil)
        #expect(entries.allSatisfy { $0.originDevice == nil })
    }

    /// Each reader of an entry sees the path it can open: the owner the owner's, a sharee the
    /// one under `/shared` (through the nearest share), anyone else none.
    @Test func eachUserSeesTheirOwnPathOfAnEntry() throws {
        let scratch = try Scratch()
        let alice = scratch.session
        let bob = try scratch.session(for: "bob"), carol = try scratch.session(for: "carol")
        try alice.makeFolder("/team/docs", parents: true)
        try alice.share("/team", with: "bob", role: .viewer)
        try alice.share("/team/docs", with: "carol", role: .editor)
        let start = try scratch.drive.latestSequence()
        try carol.put(local: try scratch.write("r.md", Data("report".utf8)), to: "/shared/docs/r.md")
        try alice.put(local: try scratch.write("x.md", Data("private".utf8)), to: "/x.md")
        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.path) == ["/team/docs/r.md", "/x.md"])
        #expect(try entries.map { try alice.visiblePath(of: $0) } == ["/team/docs/r.md", "/x.md"])
        #expect(try entries.map { try bob.visiblePath(of: $0) } == ["/shared/team/docs/r.md", nil])
        #expect(try entries.map { try carol.visiblePath(of: $0) } == ["/shared/docs/r.md", nil])
        try alice.unshare("/team", with: "bob")
        #expect(try bob.visiblePath(of: entries[0]) == nil)
    }

    @Test func storeChangesAreJournaled() throws {
        let scratch = try Scratch()
        let start = try scratch.drive.latestSequence()
        let carol = try scratch.drive.addUser(name: "carol")
        try scratch.drive.setQuota(user: "carol", bytes: 5 << 20)
        try scratch.drive.setQuota(user: "carol", bytes: nil)
        try scratch.drive.setVersionCap(2)
        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.kind) == [.userAdded, .quotaChanged, .quotaChanged, .versionCapChanged])
        #expect(entries[0].targetUserId == carol.id && entries[0].ownerId == carol.id && entries[0].actorId == nil)
        #expect(entries.map(\.amount) == [nil, 5 << 20, nil, 2])
        #expect(entries[3].ownerId == nil)
    }

    @Test func versionsDroppedByTheCapAreJournaled() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(2)
        for i in 1...3 { try scratch.session.put(local: try scratch.write("f.txt", Data("v\(i)".utf8)), to: "/f.txt") }
        let start = try scratch.drive.latestSequence()
        try scratch.session.put(local: try scratch.write("f.txt", Data("v4".utf8)), to: "/f.txt")
        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.kind) == [.versionsDropped, .versionAdded])
        #expect(entries[0].amount == 1 && entries[0].path == "/f.txt")
        #expect(try scratch.session.log("/f.txt").map(\.version.number) == [4, 3])
    }

    /// The CHECK admits exactly the kinds the engine knows: a kind added without a migration
    /// fails here, and text outside the set is refused by the database itself.
    @Test func theKindColumnIsClosed() throws {
        let scratch = try Scratch()
        let queue = try DatabaseQueue(path: scratch.store.appendingPathComponent("meta.sqlite").path)
        try queue.write { db in
            for kind in ChangeKind.allCases {
                try db.execute(sql: "INSERT INTO journal (at, kind, path) VALUES (0, ?, '/')", arguments: [kind])
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO journal (at, kind, path) VALUES (0, 'edited somehow', '/')")
            }
            for role in Role.allCases {
                try db.execute(sql: "INSERT INTO journal (at, kind, path, role) VALUES (0, 'share', '/', ?)", arguments: [role.rawValue])
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO journal (at, kind, path, role) VALUES (0, 'share', '/', 'admin')")
            }
        }
    }

    /// A store's database migrated up to `migration`, in a fresh folder the caller removes.
    func database(migratedUpTo migration: String) throws -> (DatabaseQueue, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: dir.appendingPathComponent("meta.sqlite").path)
        try Schema.migrator.migrate(queue, upTo: migration)
        return (queue, dir)
    }

    /// Migration 10 copies the journal to change its CHECKs: every entry stays, and a journal
    /// whose newest entries were pruned goes on numbering after them, never reusing a number.
    @Test func theChecksMigrationKeepsEntriesAndNumbering() throws {
        let (queue, dir) = try database(migratedUpTo: "drive-9-devices")
        defer { try? FileManager.default.removeItem(at: dir) }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO journal (seq, at, kind, path, role, detail) VALUES
                    (1, 1, 'mkdir', '/a', NULL, NULL), (2, 2, 'share', '/a', 'editor', 'x'), (3, 3, 'put', '/a/b', NULL, NULL);
                DELETE FROM journal WHERE seq = 3;
                """)
        }
        try Schema.migrator.migrate(queue)
        let entries = try queue.read { db in try JournalEntry.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq") }
        #expect(entries.map(\.seq) == [1, 2])
        #expect(entries.map(\.kind) == [.folderCreated, .shared] && entries[1].role == .editor && entries[1].detail == "x")
        try queue.write { db in try db.execute(sql: "INSERT INTO journal (at, kind, path) VALUES (4, 'mkdir', '/c')") }
        #expect(try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") } == 4)
        let sql = try queue.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'journal'") } ?? ""
        #expect(!sql.contains(" IN ("), "\(sql)")
    }

    /// A store made before the journal was typed keeps its history, typed.
    @Test func anOldJournalIsMigrated() throws {
        let (queue, dir) = try database(migratedUpTo: "drive-2-shares")
        defer { try? FileManager.default.removeItem(at: dir) }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO user (id, name, displayName, createdAt) VALUES (1, 'alice', 'alice', 0), (2, 'bob', 'bob', 0);
                INSERT INTO item (id, parentId, ownerId, name, kind, createdAt, modifiedAt, modifiedBy, size, versionCount)
                    VALUES (1, NULL, 1, '', 'folder', 0, 0, 1, 0, 0), (2, 1, 1, 'a.txt', 'file', 0, 0, 2, 1, 1);
                INSERT INTO version (id, itemId, number, size, digest, authorId, createdAt, blockCount, newBlocks)
                    VALUES (7, 2, 1, 1, x'00', 2, 0, 0, 0);
                INSERT INTO journal (seq, at, userId, itemId, versionId, kind, path, detail)
                    VALUES (41, 1, 2, 2, 7, 'put', '/shared/a.txt', NULL), (42, 2, 1, NULL, NULL, 'purge', '/', '3 items');
                """)
        }
        try Schema.migrator.migrate(queue)
        let entries = try queue.read { db in try JournalEntry.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq") }
        #expect(entries.map(\.seq) == [41, 42])
        #expect(entries.map(\.kind) == [.versionAdded, .purged])
        #expect(entries[0].actorId == 2 && entries[0].ownerId == 1 && entries[0].versionNumber == 1)
        #expect(entries[1].ownerId == 1 && entries[1].detail == "3 items")
        // Sequence numbers go on from where they were.
        try queue.write { db in try db.execute(sql: "INSERT INTO journal (at, kind, path) VALUES (3, 'mkdir', '/b')") }
        #expect(try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") } == 43)
    }
}
