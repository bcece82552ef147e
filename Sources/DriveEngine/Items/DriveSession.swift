import Foundation
import GRDB

/// Operations on a drive on behalf of one user: everything the CLI and the TUI do goes here.
///
/// Thread-safe (a value over the thread-safe `Drive`). Paths are the user's drive paths.
public struct DriveSession: Sendable {
    public let drive: Drive
    public let user: User
    /// The device this session acts for (a sync), named in the journal entries and conflicts
    /// it makes; nil for the command line and the full-screen app.
    public var device: String?

    public init(drive: Drive, user: User, device: String? = nil) {
        self.drive = drive
        self.user = user
        self.device = device
    }

    var userID: Int64 { user.id! }
    var rootID: Int64 { user.rootId! }

    // MARK: Resolving paths

    /// The live item at `path`, or nil. `/shared/<name>/…` reaches items others share with this
    /// user (walking down only, so nothing outside a share is reachable); every other path is in
    /// the user's own tree. `/shared` itself is virtual and has no item.
    func lookup(_ db: Database, _ path: DrivePath) throws -> Item? {
        var current: Item?
        var rest = path.components[...]
        if Self.isSharedPath(path) {
            guard path.components.count >= 2 else { return nil }
            current = try sharedEntries(db).first { $0.name == path.components[1] }?.item
            rest = path.components.dropFirst(2)
        } else {
            current = try Self.item(db, id: rootID)
        }
        for name in rest {
            guard let parent = current, parent.isFolder else { return nil }
            current = try Self.child(db, of: parent.id!, named: name)
        }
        return current
    }

    // Hot lookups use cached statements: compiling SQL through GRDB costs more than running it.

    /// Item `id`, trashed or not.
    // Both decode by position: the Codable decoder cost a folder put's commit more than its SQL.
    static func item(_ db: Database, id: Int64) throws -> Item? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Item.listColumns) FROM item WHERE id = ?"), arguments: [id])
            .map(Item.init(listRow:))
    }

    /// The live child called `name` of folder `parent`.
    static func child(_ db: Database, of parent: Int64, named name: String) throws -> Item? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Item.listColumns) FROM item WHERE parentId = ? AND name = ? AND trashedAt IS NULL"),
                         arguments: [parent, name]).map(Item.init(listRow:))
    }

    /// The live item at `path`, or a `notFound` error for `operation`.
    func resolve(_ db: Database, _ path: DrivePath, _ operation: String) throws -> Item {
        // Another process may have changed the tree since the cache was filled; every change
        // appends to the journal, so entries are only trusted for this snapshot's sequence.
        let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM journal")) ?? 0
        drive.cache.validate(journalSeq: seq)
        if let id = drive.cache.item(root: rootID, path: path, journalSeq: seq), let item = try Self.item(db, id: id), item.trashedAt == nil {
            return item
        }
        guard let item = try lookup(db, path) else {
            if Self.isSharedPath(path) && path.components.count == 1 {
                throw DriveError(.invalidArgument, operation, path.description, "/shared lists what others share with you; name an item inside it")
            }
            throw DriveError(.notFound, operation, path.description, "no such file or folder", hint: "see 'cairn ls \(path.parent)'")
        }
        drive.cache.remember(root: rootID, path: path, item: item.id!, journalSeq: seq)
        return item
    }

    /// The drive path of item `id` (walking up to the root).
    func path(of id: Int64, _ db: Database) throws -> DrivePath {
        try Drive.itemPath(id, db)
    }

    func parsePath(_ text: String, _ operation: String) throws(DriveError) -> DrivePath {
        try DrivePath(text, operation: operation)
    }

    // MARK: Reading

    /// The item at `path`.
    public func item(at path: String) throws(DriveError) -> Item {
        let path = try parsePath(path, "stat")
        drive.cache.validate(journalSeq: try drive.latestSequence())
        return try drive.read("stat", path.description) { db in try resolve(db, path, "stat") }
    }

    /// The children of the folder at `path` (or the file itself), folders first, then by name;
    /// with `limit`, only the first `limit` of them (a screenful of a huge folder, fast).
    public func list(_ path: String, limit: Int? = nil) throws(DriveError) -> [Entry] {
        let limit = limit ?? Int.max
        let path = try parsePath(path, "ls")
        return try drive.read("ls", path.description) { db in
            if Self.isSharedPath(path) && path.components.count == 1 {
                return try sharedEntries(db).prefix(limit).map { shared in
                    var entry = try entry(shared.item, path: shared.path, db)
                    entry.role = shared.role
                    return entry
                }
            }
            let item = try resolve(db, path, "ls")
            guard item.isFolder else { return [try entry(item, path: path, db)] }
            // A folder may hold 100,000 items: read columns by position (Codable decoding of
            // that many rows costs more than the query) and name each user once.
            var names: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM user") { names[row[0]] = row[1] }
            var entries: [Entry] = []
            // Below /shared every entry carries this user's role: the folder's, raised where a
            // share on the child itself gives more.
            var baseRole: Role?
            var sharedHere: [Int64: Role] = [:]
            if Self.isSharedPath(path) {
                baseRole = try effectiveRole(db, item)
                for row in try Row.fetchAll(db, sql: "SELECT itemId, role FROM share WHERE userId = ?", arguments: [userID]) {
                    if let role = Role(rawValue: row[1]) { sharedHere[row[0]] = role }
                }
            }
            // Folders, then files, each in name order straight from the (parentId, name) index.
            for kind in ["folder", "file"] where entries.count < limit {
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT \(Item.listColumns), (SELECT linkTarget FROM version WHERE version.id = item.headVersionId)
                    FROM item INDEXED BY itemLiveName
                    WHERE parentId = ? AND trashedAt IS NULL AND kind = ? ORDER BY name
                    """, arguments: [item.id, kind])
                while entries.count < limit, let row = try cursor.next() {
                    let child = Item(listRow: row)
                    var role = baseRole
                    if let base = baseRole, let own = sharedHere[child.id!] { role = max(base, own) }
                    entries.append(Entry(item: child, path: path.appending(child.name), modifiedByName: names[child.modifiedBy] ?? "?",
                                         role: role, linkTarget: row[Item.listColumnCount]))
                }
            }
            return entries
        }
    }

    func entry(_ item: Item, path: DrivePath, _ db: Database) throws -> Entry {
        let name = try String.fetchOne(db, sql: "SELECT name FROM user WHERE id = ?", arguments: [item.modifiedBy]) ?? "?"
        return Entry(item: item, path: path, modifiedByName: name, linkTarget: try Self.linkTarget(db, of: item))
    }

    /// The target of `item`'s head version when that is a symbolic link; nil for anything else.
    static func linkTarget(_ db: Database, of item: Item) throws -> String? {
        guard let head = item.headVersionId else { return nil }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT linkTarget FROM version WHERE id = ?"), arguments: [head])
    }

    // MARK: Changing the tree

    /// Makes a folder; with `parents`, also the missing folders above it, and an existing folder is fine.
    @discardableResult
    public func makeFolder(_ path: String, parents: Bool = false) throws(DriveError) -> Item {
        let path = try parsePath(path, "mkdir")
        return try drive.write("mkdir", path.description) { db in try makeFolder(db, path, parents: parents) }
    }

    /// The folder at `path`, made with its parents where missing (`mkdir -p`), remembering each
    /// folder it resolves in `known`: a folder put resolves thousands of nested folders, each
    /// then one child lookup below its remembered parent instead of a walk from the root.
    /// `made` says whether `path` itself was made.
    func folder(_ db: Database, _ path: DrivePath, known: inout KnownFolders) throws -> (item: Item, made: Bool) {
        if let found = try knownFolder(db, path, known: &known) { return found }
        // A file in the way: the general path names it and throws, as `mkdir -p` would.
        return (try makeFolder(db, path, parents: true), false)
    }

    /// `folder(_:_:known:)`, or nil where a file is in the way.
    private func knownFolder(_ db: Database, _ path: DrivePath, known: inout KnownFolders) throws -> (item: Item, made: Bool)? {
        if let folder = known.items[path] { return (folder, false) }
        // The root, /shared and a share's top folder resolve the general way.
        guard !path.isRoot, !Self.isSharedPath(path) || path.components.count > 2 else {
            let existed = try lookup(db, path) != nil
            let folder = try makeFolder(db, path, parents: true)
            known.items[path] = folder
            return (folder, !existed)
        }
        guard let parent = try knownFolder(db, path.parent, known: &known)?.item else { return nil }
        let assumed = known.assumesAbsent(path.name, in: parent.id!)
        if !assumed, let existing = try Self.child(db, of: parent.id!, named: path.name) {
            guard existing.isFolder else { return nil }
            known.items[path] = existing
            return (existing, false)
        }
        let folder: Item
        do {
            folder = try makeFolder(db, path, in: parent)
        } catch where assumed && KnownFolders.isTakenName(error) {
            known.distrust(parent.id!)
            return try knownFolder(db, path, known: &known)
        }
        known.items[path] = folder
        known.made(path.name, in: parent.id!)
        known.madeFolder(folder.id!)
        return (folder, true)
    }

    func makeFolder(_ db: Database, _ path: DrivePath, parents: Bool) throws -> Item {
        if path.isRoot { return try resolve(db, path, "mkdir") }
        try Self.checkNotReserved(path, "mkdir")
        if Self.isSharedPath(path) && path.components.count == 2 {
            if parents, let existing = try lookup(db, path), existing.isFolder { return existing }
            throw DriveError(.invalidArgument, "mkdir", path.description,
                             "/shared holds what others share with you; make folders inside a shared folder")
        }
        if let existing = try lookup(db, path) {
            if parents && existing.isFolder { return existing }
            throw DriveError(.alreadyExists, "mkdir", path.description, existing.isFolder ? "a folder with this name exists" : "a file with this name exists")
        }
        let parent: Item
        if parents {
            if let blocker = try lookup(db, path.parent), !blocker.isFolder {
                throw DriveError(.invalidArgument, "mkdir", path.description, "\(path.parent) is a file, not a folder")
            }
            parent = try makeFolder(db, path.parent, parents: true)
        } else {
            guard let found = try lookup(db, path.parent) else {
                throw DriveError(.notFound, "mkdir", path.description, "the parent folder \(path.parent) does not exist", hint: "use 'mkdir -p'")
            }
            parent = found
        }
        return try makeFolder(db, path, in: parent)
    }

    /// Makes the folder `path` in `parent` (the folder at `path.parent`), which has no child of
    /// that name: checks the name and the role, inserts and journals it.
    private func makeFolder(_ db: Database, _ path: DrivePath, in parent: Item) throws -> Item {
        try Self.checkNotReserved(path, "mkdir")
        guard parent.isFolder else {
            throw DriveError(.invalidArgument, "mkdir", path.description, "\(path.parent) is a file, not a folder")
        }
        try require(.editor, db, parent, path.parent, "mkdir")
        let now = drive.clock()
        var folder = Item(id: nil, parentId: parent.id, ownerId: parent.ownerId, name: path.name, kind: .folder,
                          createdAt: now, modifiedAt: now, modifiedBy: userID, headVersionId: nil, size: 0, versionCount: 0)
        try folder.insert(db)
        try journal(db, .folderCreated, path, item: folder.id)
        return folder
    }

    /// Renames or moves `source` to `destination`; into it when `destination` is an existing folder.
    @discardableResult
    public func move(_ source: String, to destination: String) throws(DriveError) -> DrivePath {
        let from = try parsePath(source, "mv")
        var to = try parsePath(destination, "mv")
        return try drive.write("mv", from.description) { db in
            if from.isRoot { throw DriveError(.invalidArgument, "mv", "/", "the root folder cannot be moved") }
            var item = try resolve(db, from, "mv")
            try require(isShareRoot(from) ? .owner : .editor, db, item, from, "mv")
            if let target = try lookup(db, to), target.isFolder {
                if target.id == item.id {
                    throw DriveError(.invalidArgument, "mv", from.description, "a folder cannot be moved into itself")
                }
                to = to.appending(from.name)
            }
            if to == from {
                throw DriveError(.invalidArgument, "mv", from.description, "it is already there", hint: "name another folder or a new name")
            }
            try Self.checkNotReserved(to, "mv")
            if to.isWithin(from) {
                throw DriveError(.invalidArgument, "mv", from.description, "a folder cannot be moved into itself (\(to))")
            }
            if try lookup(db, to) != nil {
                throw DriveError(.alreadyExists, "mv", to.description, "something with this name exists", hint: "remove or rename it first")
            }
            guard let parent = try lookup(db, to.parent) else {
                throw DriveError(.notFound, "mv", to.description, "the folder \(to.parent) does not exist")
            }
            guard parent.isFolder else { throw DriveError(.invalidArgument, "mv", to.description, "\(to.parent) is a file, not a folder") }
            try require(.editor, db, parent, to.parent, "mv")
            guard parent.ownerId == item.ownerId else {
                throw DriveError(.invalidArgument, "mv", to.description, "items cannot move between drives of different owners",
                                 hint: "get it and put a copy instead")
            }
            let oldParent = item.parentId
            item.parentId = parent.id
            item.name = to.name
            item.modifiedAt = drive.clock()
            try item.update(db)
            try journal(db, .moved, to, item: item.id, oldParent: oldParent, newParent: parent.id, detail: from.description)
            return to
        }
    }

    /// Moves the item at `path` to the trash (recoverable until the trash is emptied).
    public func trash(_ path: String) throws(DriveError) {
        let path = try parsePath(path, "rm")
        try drive.write("rm", path.description) { db in
            if path.isRoot { throw DriveError(.invalidArgument, "rm", "/", "the root folder cannot be removed") }
            let item = try resolve(db, path, "rm")
            try require(isShareRoot(path) ? .owner : .editor, db, item, path, "rm")
            try trash(db, item, path)
        }
    }

    /// Moves `item`, seen at `path`, to the trash in the caller's transaction (roles checked).
    func trash(_ db: Database, _ item: Item, _ path: DrivePath) throws {
        var item = item
        item.trashedAt = drive.clock()
        // The owner's path: the item goes to the owner's trash, whoever deletes it.
        item.trashedPath = try self.path(of: item.id!, db).description
        try item.update(db)
        try journal(db, .trashed, path, item: item.id)
    }
}

/// An item with its path and the name of who last changed it: one row of a listing.
public struct Entry: Sendable, Equatable {
    public var item: Item
    public var path: DrivePath
    public var modifiedByName: String
    /// Set on entries at and below `/shared`: this user's effective role on the item.
    public var role: Role?
    /// Set when the file's head version is a symbolic link: its target.
    public var linkTarget: String?

    public init(item: Item, path: DrivePath, modifiedByName: String, role: Role? = nil, linkTarget: String? = nil) {
        self.item = item
        self.path = path
        self.modifiedByName = modifiedByName
        self.role = role
        self.linkTarget = linkTarget
    }

    /// Whether the entry is a file whose head version is a symbolic link.
    public var isLink: Bool { linkTarget != nil }
}

/// The folders a writer has resolved in one transaction, by path; and the folders it made (in
/// this transaction or an earlier one of the same put) with the names it has made in each since.
/// A name not among those is taken as absent without a query (a put of a new tree makes every
/// folder it fills, and a lookup per file was a tenth of its commit). The insert that follows is
/// checked by the unique index on live names all the same: another process may have made the
/// name between two of the put's transactions, and then the writer looks it up after all.
struct KnownFolders {
    var items: [DrivePath: Item] = [:]
    /// Folder item id → the names made in it since, for the folders this writer made.
    var namesMade: [Int64: Set<String>] = [:]

    /// Whether `name` is taken as absent from folder `parent` (the writer made the folder and no
    /// child of that name in it).
    func assumesAbsent(_ name: String, in parent: Int64) -> Bool {
        namesMade[parent].map { !$0.contains(name) } ?? false
    }

    /// Records that this writer made folder `id` (empty), or `name` in folder `parent`.
    mutating func madeFolder(_ id: Int64) { namesMade[id] = [] }
    mutating func made(_ name: String, in parent: Int64) { namesMade[parent]?.insert(name) }

    /// Stops taking names as absent from `parent`: another writer has added to it.
    mutating func distrust(_ parent: Int64) { namesMade[parent] = nil }

    /// Whether `error` is the unique index on live names refusing an insert.
    static func isTakenName(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
    }
}
