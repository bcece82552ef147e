import DriveEngine
import Foundation
import Testing

/// Every operation × (owner, editor, viewer, stranger) × (a shared item itself, a child of a
/// shared folder, an unshared sibling) → allowed, or refused with the expected code and nothing
/// changed. Removing any single role check in the engine makes a case here fail.
@Suite struct PermissionMatrixTests {
    enum Actor: String, CaseIterable, Sendable { case owner = "alice", editor = "bob", viewer = "carol", stranger = "dave" }
    enum Target: String, CaseIterable, Sendable { case itself, child, sibling }
    enum Operation: String, CaseIterable, Sendable {
        case ls, get, cat, log, put, mkdir, rename, rm, restore, pin, share, unshare, transfer
        /// The least role the operation needs.
        func needs(_ target: Target) -> DriveEngine.Role {
            switch self {
            case .ls, .get, .cat, .log: .viewer
            case .put, .mkdir, .restore, .pin: .editor
            // Renaming or deleting the shared item itself would change it for its owner.
            case .rename, .rm: target == .itself ? .owner : .editor
            case .share, .unshare, .transfer: .owner
            }
        }
    }

    /// alice owns /memo.txt (shared directly), /team (shared folder) with /team/notes.txt and
    /// /team/sub, and /private.txt and /privdir (shared with nobody). bob edits, carol views.
    static func makeDrive() throws -> Scratch {
        let scratch = try Scratch()
        let alice = scratch.session
        for (name, text) in [("memo.txt", "memo v1"), ("notes.txt", "notes v1"), ("private.txt", "private v1")] {
            let path = try scratch.write(name, Data(text.utf8))
            let dest = name == "notes.txt" ? "/team/notes.txt" : "/\(name)"
            try alice.put(local: path, to: dest)
            try alice.put(local: try scratch.write(name, Data((text + " v2").utf8)), to: dest)
        }
        try alice.makeFolder("/team/sub")
        try alice.makeFolder("/privdir")
        for user in ["bob", "carol", "dave", "erin"] { _ = try scratch.session(for: user) }
        for item in ["/memo.txt", "/team"] {
            try alice.share(item, with: "bob", role: .editor)
            try alice.share(item, with: "carol", role: .viewer)
        }
        return scratch
    }

    /// The path `actor` uses for `target`: alice's own paths, everyone else's under /shared.
    static func path(_ target: Target, file: Bool, for actor: Actor) -> String {
        let own: String
        switch target {
        case .itself: own = file ? "/memo.txt" : "/team"
        case .child: own = file ? "/team/notes.txt" : "/team/sub"
        case .sibling: own = file ? "/private.txt" : "/privdir"
        }
        return actor == .owner ? own : "/shared" + own
    }

    static func role(of actor: Actor) -> DriveEngine.Role? {
        switch actor {
        case .owner: .owner
        case .editor: .editor
        case .viewer: .viewer
        case .stranger: nil
        }
    }

    @Test(arguments: Operation.allCases, Actor.allCases)
    func matrix(_ operation: Operation, _ actor: Actor) throws {
        for target in Target.allCases {
            let scratch = try Self.makeDrive()
            let session = try scratch.session(for: actor.rawValue)
            let before = try scratch.drive.latestSequence()
            let blocksBefore = try scratch.session.stats().blocks
            // Unshared siblings are out of reach for everyone but the owner.
            let role = target == .sibling && actor != .owner ? nil : Self.role(of: actor)
            var expected: DriveError.Code? = role == nil ? .notFound : (role! >= operation.needs(target) ? nil : .permissionDenied)
            // The sibling is shared with nobody, so there is no share to remove.
            if operation == .unshare && target == .sibling && actor == .owner { expected = .notFound }
            do {
                try perform(operation, on: target, as: actor, session, scratch)
                #expect(expected == nil, "\(operation) by \(actor) on \(target) was allowed")
            } catch let error as DriveError {
                #expect(error.code == expected, "\(operation) by \(actor) on \(target): \(error)")
                #expect(try scratch.drive.latestSequence() == before, "a refused \(operation) changed the journal")
                #expect(try scratch.session.stats().blocks == blocksBefore, "a refused \(operation) stored blocks")
                if error.code == .permissionDenied { #expect(error.reason.contains(operation.needs(target).rawValue)) }
            }
        }
    }

    func perform(_ operation: Operation, on target: Target, as actor: Actor, _ session: DriveSession, _ scratch: Scratch) throws {
        let file = Self.path(target, file: true, for: actor)
        let folder = Self.path(target, file: false, for: actor)
        switch operation {
        case .ls: _ = try session.list(folder)
        case .get: try session.get(file, to: scratch.path("out-\(actor)"))
        case .cat: _ = try session.contents(file)
        case .log: _ = try session.log(file)
        case .put: try session.put(local: try scratch.write("edit-\(actor).txt", Data("edited by \(actor)".utf8)), to: file)
        case .mkdir: try session.makeFolder(folder + "/new")
        case .rename: try session.move(file, to: file + ".renamed")
        case .rm: try session.trash(file)
        case .restore: try session.restore(file, version: 1)
        case .pin: try session.pin(file, version: 1)
        case .share: try session.share(file, with: "erin", role: .viewer)
        case .unshare: try session.unshare(target == .sibling ? file : Self.path(.itself, file: true, for: actor), with: "carol")
        case .transfer: try session.transfer(file, to: "erin")
        }
    }

    @Test func editsByAnEditorAreAuthoredByTheEditor() throws {
        let scratch = try Self.makeDrive()
        let bob = try scratch.session(for: "bob")
        try bob.put(local: try scratch.write("b.txt", Data("bob's notes".utf8)), to: "/shared/team/notes.txt")
        try bob.put(local: try scratch.write("n.txt", Data("new".utf8)), to: "/shared/team/sub/new.txt")
        let log = try scratch.session.log("/team/notes.txt")
        #expect(log.first?.authorName == "bob")
        #expect(log.map(\.version.number) == [3, 2, 1])
        // A file an editor makes belongs to the folder's owner.
        #expect(try scratch.session.item(at: "/team/sub/new.txt").ownerId == scratch.session.user.id)
    }

    @Test func unshareTakesEffectAtOnce() throws {
        let scratch = try Self.makeDrive()
        let carol = try scratch.session(for: "carol")
        #expect(try carol.list("/shared").map(\.path.description) == ["/shared/memo.txt", "/shared/team"])
        try scratch.session.unshare("/team", with: "carol")
        expectDriveError(.notFound) { _ = try carol.list("/shared/team") }
        #expect(try carol.list("/shared").map(\.path.description) == ["/shared/memo.txt"])
    }

    @Test func aMoreSpecificShareRaisesButNeverLowers() throws {
        let scratch = try Self.makeDrive()
        try scratch.session.share("/team/notes.txt", with: "carol", role: .editor)
        // Lowering bob's inherited editor role below /team is refused, not silently ignored.
        expectDriveError(.invalidArgument) { try scratch.session.share("/team/notes.txt", with: "bob", role: .viewer) }
        let carol = try scratch.session(for: "carol")
        let bob = try scratch.session(for: "bob")
        let roles = Dictionary(uniqueKeysWithValues: try carol.list("/shared/team").map { ($0.path.name, $0.role) })
        #expect(roles == ["sub": .viewer, "notes.txt": .editor])
        try carol.put(local: try scratch.write("c.txt", Data("carol".utf8)), to: "/shared/team/notes.txt")
        try bob.put(local: try scratch.write("b.txt", Data("bob".utf8)), to: "/shared/team/notes.txt")
        expectDriveError(.permissionDenied) { try carol.trash("/shared/team/sub") }
    }

    @Test func staleBasesConflictInsteadOfOverwriting() throws {
        let scratch = try Self.makeDrive()
        let bob = try scratch.session(for: "bob")
        let alice = scratch.session
        let bobCopy = scratch.path("bob-notes.txt")
        let aliceCopy = scratch.path("alice-notes.txt")
        try bob.get("/shared/team/notes.txt", to: bobCopy)
        try alice.get("/team/notes.txt", to: aliceCopy)
        try Data("alice's edit".utf8).write(to: URL(fileURLWithPath: aliceCopy))
        try alice.put(local: aliceCopy, to: "/team/notes.txt")
        try Data("bob's edit".utf8).write(to: URL(fileURLWithPath: bobCopy))
        let error = expectDriveError(.conflict) { try bob.put(local: bobCopy, to: "/shared/team/notes.txt") }
        #expect(error?.reason.contains("version 2") == true)
        #expect(try alice.contents("/team/notes.txt") == Data("alice's edit".utf8))
        try bob.put(local: bobCopy, to: "/shared/team/notes.txt", onStale: .replace)
        #expect(try alice.log("/team/notes.txt").map(\.authorName).prefix(2) == ["bob", "alice"])
    }

    @Test func nothingOutsideTheShareIsReachable() throws {
        let scratch = try Self.makeDrive()
        let bob = try scratch.session(for: "bob")
        expectDriveError(.invalidArgument) { _ = try bob.list("/shared/team/../../private.txt") }
        expectDriveError(.notFound) { _ = try bob.list("/shared/private.txt") }
        expectDriveError(.invalidArgument) { try bob.move("/shared/team/notes.txt", to: "/stolen.txt") }
        expectDriveError(.invalidArgument) { try bob.makeFolder("/shared/mine") }
        #expect(try scratch.session.list("/").map(\.path.name).contains("stolen.txt") == false)
    }

    @Test func quotaIsCountedOnTheOwnerBeforeStoring() throws {
        let scratch = try Self.makeDrive()
        let used = try scratch.drive.quotaUsage(user: "alice").usedBytes
        try scratch.drive.setQuota(user: "alice", bytes: used + 10)
        let bob = try scratch.session(for: "bob")
        let blocks = try scratch.session.stats().blocks
        expectDriveError(.storageFull) {
            try bob.put(local: try scratch.write("big.txt", Data(repeating: 7, count: 100)), to: "/shared/team/big.txt")
        }
        #expect(try scratch.session.stats().blocks == blocks)
        try bob.put(local: try scratch.write("small.txt", Data("tiny".utf8)), to: "/shared/team/small.txt")
    }
}
