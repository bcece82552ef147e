import Blocks
import Foundation
import GRDB

/// How a conflict was settled.
public enum ConflictResolution: String, Codable, Sendable, CaseIterable {
    /// The conflict version became the head.
    case mine
    /// The head stayed what it was.
    case theirs
    /// The head stayed, and the conflict version became a file of its own beside it.
    case both
    /// A merge of the two (against their common base) became the head.
    case merge
}

/// A write from a stale base kept beside the head: who, when, from where, and against what.
public struct ConflictInfo: Sendable, Equatable {
    public var id: Int64
    /// Where this user sees the file now.
    public var path: DrivePath
    public var itemId: Int64
    /// The conflict version's number ("mine", from the writer's side).
    public var version: Int
    /// The head it lost to, when it was kept ("theirs").
    public var head: Int
    /// The version both sides started from (the common ancestor), when it is known.
    public var base: Int?
    public var author: String
    /// The device it came from; nil for the command line.
    public var device: String?
    public var createdAt: Date
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var resolution: ConflictResolution?
    /// The version the resolution made (for `both`, of the copy beside the file).
    public var result: Int?
    /// For `both`: where the copy went.
    public var copyPath: DrivePath?

    public var isOpen: Bool { resolvedAt == nil }
}

/// The three sides of an open conflict, as a merge needs them.
public struct ConflictSides: Sendable, Equatable {
    public var conflict: ConflictInfo
    /// The common ancestor's bytes; nil when it is not known (the two sides share no base).
    public var base: Data?
    /// The conflict version's bytes (the stale writer's).
    public var mine: Data
    /// The current head's bytes.
    public var theirs: Data
    /// The current head's number (it may have moved on since the conflict was kept).
    public var headNumber: Int
}

extension DriveSession {
    /// The conflicts on files this user can see, open ones first, oldest first; with `all`, the
    /// resolved ones too.
    public func conflicts(all: Bool = false) throws(DriveError) -> [ConflictInfo] {
        try drive.read("conflicts", "") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT conflict.id FROM conflict JOIN item ON item.id = conflict.itemId
                WHERE item.trashedAt IS NULL \(all ? "" : "AND conflict.resolvedAt IS NULL")
                ORDER BY conflict.resolvedAt IS NOT NULL, conflict.createdAt, conflict.id
                """)
            return try rows.compactMap { row in try conflictInfo(db, id: row[0]) }
        }
    }

    /// The open conflicts of the file at `path`, oldest first.
    public func conflicts(at path: String) throws(DriveError) -> [ConflictInfo] {
        let path = try parsePath(path, "conflicts")
        return try drive.read("conflicts", path.description) { db in
            let item = try resolve(db, path, "conflicts")
            return try openConflicts(db, item: item.id!, path)
        }
    }

    /// The base, mine and theirs of the oldest open conflict of the file at `path` (or of
    /// conflict `id`), for a merge.
    public func conflictSides(_ path: String, id: Int64? = nil) throws(DriveError) -> ConflictSides {
        let parsed = try parsePath(path, "resolve")
        let (conflict, headNumber) = try drive.read("resolve", parsed.description) { db in
            let (item, conflict) = try pickConflict(db, parsed, id: id)
            return (conflict, try Int.fetchOne(db, sql: "SELECT number FROM version WHERE id = ?", arguments: [item.headVersionId]) ?? 0)
        }
        let limit = Self.mergeLimit
        return ConflictSides(conflict: conflict, base: try conflict.base.map { number throws(DriveError) in try contents(path, version: number, limit: limit) },
                             mine: try contents(path, version: conflict.version, limit: limit),
                             theirs: try contents(path, version: headNumber, limit: limit), headNumber: headNumber)
    }

    /// The most of each side a merge reads (a merge is of text, held in memory).
    public static let mergeLimit = 64 << 20

    /// Settles the oldest open conflict of the file at `path` (or conflict `id`) by keeping
    /// `mine` (the conflict version becomes the head), `theirs` (the head stays) or `both` (the
    /// head stays, the conflict version becomes a copy beside the file). Every resolution is a
    /// new version whose history names both sides: its base is the head it replaces, and its
    /// `mergedFrom` the conflict version.
    @discardableResult
    public func resolveConflict(_ path: String, keep: ConflictResolution, id: Int64? = nil) throws(DriveError) -> ConflictInfo {
        guard keep != .merge else {
            throw DriveError(.invalidArgument, "resolve", path, "a merge needs the merged bytes", hint: "use resolveConflict(_:merged:)")
        }
        return try resolve(path, id: id, how: keep) { db, sides in
            let source = keep == .theirs ? sides.head : sides.mine
            return (try blockList(db, source.id!), source.size, source.linkTarget)
        }
    }

    /// Settles the oldest open conflict of the file at `path` (or conflict `id`) with `merged`
    /// as the new head (a merge of the two sides that a person or a 3-way merge made).
    @discardableResult
    public func resolveConflict(_ path: String, merged: Data, id: Int64? = nil) throws(DriveError) -> ConflictInfo {
        let parsed = try parsePath(path, "resolve")
        return try drive.lock.shared { () throws(DriveError) -> ConflictInfo in
            let blocks: [WrittenBlock]
            do {
                blocks = try storeBlocks(of: merged)
            } catch {
                throw DriveError.wrap(error, "resolve", parsed.description)
            }
            return try resolve(path, id: id, how: .merge, locked: true) { _, _ in (blocks, Int64(merged.count), nil) }
        }
    }

    // MARK: - Inside

    private struct Sides {
        var head: Version
        var mine: Version
    }

    /// One resolution, in one transaction: the new version (from `content`'s blocks), the
    /// conflict marked settled, the change journaled.
    private func resolve(_ path: String, id: Int64?, how: ConflictResolution, locked: Bool = false,
                         content: @escaping (Database, Sides) throws -> ([WrittenBlock], Int64, String?)) throws(DriveError) -> ConflictInfo {
        let path = try parsePath(path, "resolve")
        let body = { () throws(DriveError) -> ConflictInfo in
            try drive.write("resolve", path.description) { db in
                let (item, conflict) = try pickConflict(db, path, id: id)
                try require(.editor, db, item, path, "resolve")
                guard let head = try Version.fetchOne(db, sql: "SELECT * FROM version WHERE id = ?", arguments: [item.headVersionId]),
                      let mine = try Version.fetchOne(db, sql: "SELECT * FROM version WHERE id = (SELECT versionId FROM conflict WHERE id = ?)",
                                                      arguments: [conflict.id]) else {
                    throw DriveError(.corrupted, "resolve", path.description, "the conflict's versions are missing")
                }
                let (blocks, size, linkTarget) = try content(db, Sides(head: head, mine: mine))
                var dest = path
                if how == .both { dest = try copyPath(db, beside: path, item: item, conflict: conflict) }
                try Drive.checkQuota(db, owner: item.ownerId, adding: size, "resolve", path.description)
                var folders = KnownFolders()
                let commit = FileCommit(dest: dest, blocks: blocks, size: size, base: how == .both ? nil : head.id,
                                        onStale: .replace, mergedFrom: mine.id, parentItem: how == .both ? item.parentId : nil,
                                        linkTarget: linkTarget)
                let made = try self.commit(db, commit, folders: &folders).version
                if how == .both {
                    // Shared as the file is, so whoever sees the file sees its copy.
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO share (itemId, userId, role, sharedBy, createdAt)
                        SELECT ?, userId, role, sharedBy, ? FROM share WHERE itemId = ?
                        """, arguments: [made.itemId, drive.clock().timeIntervalSince1970, item.id])
                }
                try db.execute(sql: """
                    UPDATE conflict SET resolvedAt = ?, resolvedBy = ?, resolution = ?, resultVersionId = ? WHERE id = ?
                    """, arguments: [drive.clock().timeIntervalSince1970, userID, how.rawValue, made.id, conflict.id])
                let detail = switch how {
                case .mine: "resolved a conflict: kept version \(mine.number) over \(head.number)"
                case .theirs: "resolved a conflict: kept version \(head.number) over \(mine.number)"
                case .both: "resolved a conflict of \(path): version \(mine.number) kept as this copy"
                case .merge: "resolved a conflict: merged versions \(head.number) and \(mine.number)"
                }
                try journal(db, .versionAdded, dest, item: made.itemId, version: made.id, detail: detail)
                return try conflictInfo(db, id: conflict.id)!
            }
        }
        return locked ? try body() : try drive.lock.shared(body)
    }

    /// The open conflict `id` of the file at `path`, or its oldest.
    private func pickConflict(_ db: Database, _ path: DrivePath, id: Int64?) throws -> (Item, ConflictInfo) {
        let item = try resolve(db, path, "resolve")
        guard !item.isFolder else {
            throw DriveError(.invalidArgument, "resolve", path.description, "a folder has no conflicts of its own; name a file",
                             hint: "see 'cairn conflicts'")
        }
        let open = try openConflicts(db, item: item.id!, path)
        if let id {
            guard let chosen = open.first(where: { $0.id == id }) else {
                throw DriveError(.notFound, "resolve", path.description, "no open conflict \(id) on this file",
                                 hint: "see 'cairn conflicts'")
            }
            return (item, chosen)
        }
        guard let oldest = open.first else {
            throw DriveError(.notFound, "resolve", path.description, "the file has no open conflict", hint: "see 'cairn conflicts'")
        }
        return (item, oldest)
    }

    private func openConflicts(_ db: Database, item: Int64, _ path: DrivePath) throws -> [ConflictInfo] {
        try Int64.fetchAll(db, sql: "SELECT id FROM conflict WHERE itemId = ? AND resolvedAt IS NULL ORDER BY createdAt, id",
                           arguments: [item]).compactMap { try conflictInfo(db, id: $0) }
    }

    /// Conflict `id` as this user sees it; nil when they cannot see its file.
    private func conflictInfo(_ db: Database, id: Int64) throws -> ConflictInfo? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT conflict.*, item.ownerId, mine.number AS mineNumber, head.number AS headNumber, base.number AS baseNumber,
                   author.name AS authorName, resolver.name AS resolverName, result.number AS resultNumber,
                   result.itemId AS resultItem
            FROM conflict JOIN item ON item.id = conflict.itemId
            JOIN version AS mine ON mine.id = conflict.versionId
            LEFT JOIN version AS head ON head.id = conflict.headVersionId
            LEFT JOIN version AS base ON base.id = conflict.baseVersionId
            LEFT JOIN version AS result ON result.id = conflict.resultVersionId
            JOIN user AS author ON author.id = conflict.userId
            LEFT JOIN user AS resolver ON resolver.id = conflict.resolvedBy
            WHERE conflict.id = ?
            """, arguments: [id]) else { return nil }
        let itemID: Int64 = row["itemId"]
        guard let path = try visiblePath(db, ofItem: itemID, owner: row["ownerId"]) else { return nil }
        var copy: DrivePath?
        if let resultItem = row["resultItem"] as Int64?, resultItem != itemID {
            copy = try visiblePath(db, ofItem: resultItem, owner: row["ownerId"])
        }
        return ConflictInfo(id: row["id"], path: path, itemId: itemID, version: row["mineNumber"], head: row["headNumber"] ?? 0,
                            base: row["baseNumber"], author: row["authorName"], device: row["device"],
                            createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                            resolvedAt: (row["resolvedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                            resolvedBy: row["resolverName"], resolution: (row["resolution"] as String?).flatMap(ConflictResolution.init),
                            result: row["resultNumber"], copyPath: copy)
    }

    /// Where this user sees item `id` of `owner`, in the caller's transaction.
    private func visiblePath(_ db: Database, ofItem id: Int64, owner: Int64) throws -> DrivePath? {
        let probe = JournalEntry(at: Date(), kind: .versionAdded, ownerId: owner, itemId: id,
                                 path: try Drive.itemPath(id, db).description)
        return try visiblePath(db, of: probe).flatMap { try? DrivePath($0, operation: "conflicts") }
    }

    /// A free name beside `path` for the conflict version of a `both` resolution:
    /// `report (conflict v5 by bob).txt`, then `… 2)` and on if that is taken.
    private func copyPath(_ db: Database, beside path: DrivePath, item: Item, conflict: ConflictInfo) throws -> DrivePath {
        let name = path.name as NSString
        let stem = name.deletingPathExtension, ext = name.pathExtension.isEmpty ? "" : "." + name.pathExtension
        for attempt in 1...1000 {
            let suffix = attempt == 1 ? "" : " \(attempt)"
            let candidate = DrivePath(validated: path.parent.components + ["\(stem) (conflict v\(conflict.version) by \(conflict.author)\(suffix))\(ext)"])
            guard let parent = item.parentId, try Self.child(db, of: parent, named: candidate.name) != nil else { return candidate }
        }
        throw DriveError(.alreadyExists, "resolve", path.description, "no free name for the conflict's copy",
                         hint: "resolve with --keep mine or theirs")
    }

    /// Cuts `data` into blocks and stores the new ones, durably (before a commit names them).
    private func storeBlocks(of data: Data) throws -> [WrittenBlock] {
        let writer = BlockWriter(store: drive.blocks, codec: drive.codec)
        let chunker = drive.chunker
        let blocks = try data.withUnsafeBytes { raw -> [WrittenBlock] in
            var ranges: [Range<Int>] = []
            var offset = 0
            while offset < raw.count {
                let length = chunker.cut(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                ranges.append(offset..<(offset + length))
                offset += length
            }
            return try writer.write(raw, ranges: ranges)
        }
        try writer.drain()
        try drive.blocks.sync()
        try drive.blocks.seal()
        return blocks
    }
}
