import Foundation
import GRDB

/// An item shared with this user, as it appears under `/shared`.
public struct SharedEntry: Sendable, Equatable {
    /// Its name under `/shared`: the item's name, with " (owner)" added when two would clash.
    public var name: String
    public var item: Item
    public var role: Role
    public var ownerName: String
    public var path: DrivePath { DrivePath(validated: [DriveSession.sharedRoot, name]) }
}

extension DriveSession {
    /// The top-level name under which items others share with this user appear: `/shared/<name>`.
    /// It is reserved: nobody can make an item called "shared" at the top of their own drive.
    public static let sharedRoot = "shared"

    static func isSharedPath(_ path: DrivePath) -> Bool { path.components.first == sharedRoot }

    /// Refuses `path` as the place of a new, moved, renamed or restored item when it is the
    /// reserved top-level name `/shared` (only the root's child: `/x/shared` is fine). An item
    /// there would be hidden behind the virtual folder. Every way of creating or moving an item
    /// calls this before changing anything.
    static func checkNotReserved(_ path: DrivePath, _ operation: String) throws(DriveError) {
        guard path.components == [sharedRoot] else { return }
        throw DriveError(.invalidArgument, operation, path.description,
                         "/shared holds what others share with you; choose another name")
    }

    /// Items shared directly with this user (not through a parent that is shared too is fine:
    /// both appear), live ones only, with unique names.
    func sharedEntries(_ db: Database) throws -> [SharedEntry] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT item.*, share.role AS shareRole, owner.name AS ownerName FROM share
            JOIN item ON item.id = share.itemId JOIN user AS owner ON owner.id = item.ownerId
            WHERE share.userId = ? AND item.trashedAt IS NULL ORDER BY item.name, item.id
            """, arguments: [userID])
        var entries: [SharedEntry] = []
        var taken = Set<String>()
        for row in rows {
            let item = try Item(row: row)
            guard try isLive(db, item) else { continue }
            let owner: String = row["ownerName"]
            var name = item.name
            if taken.contains(name) { name = "\(item.name) (\(owner))" }
            if taken.contains(name) { name = "\(item.name) (\(owner) \(item.id!))" }
            taken.insert(name)
            let role = try effectiveRole(db, item) ?? .viewer
            entries.append(SharedEntry(name: name, item: item, role: role, ownerName: owner))
        }
        return entries
    }

    /// Whether no ancestor of `item` is in the trash.
    func isLive(_ db: Database, _ item: Item) throws -> Bool {
        var current = item
        while let parentID = current.parentId, let parent = try Self.item(db, id: parentID) {
            if parent.trashedAt != nil { return false }
            current = parent
        }
        return current.trashedAt == nil
    }

    /// This user's role on `item`: owner of their own items, else the highest role shared with
    /// them on the item or any folder above it; nil when they have no access at all.
    func effectiveRole(_ db: Database, _ item: Item) throws -> Role? {
        if item.ownerId == userID { return .owner }
        var best: Role?
        var current: Item? = item
        let statement = try db.cachedStatement(sql: "SELECT role FROM share WHERE itemId = ? AND userId = ?")
        while let node = current {
            if let raw = try String.fetchOne(statement, arguments: [node.id, userID]), let role = Role(rawValue: raw) {
                best = max(best ?? role, role)
            }
            current = try node.parentId.flatMap { try Self.item(db, id: $0) }
        }
        return best
    }

    /// Throws unless this user holds at least `needed` on `item`. No access at all is reported
    /// as not found, so a stranger cannot learn that an item exists.
    func require(_ needed: Role, _ db: Database, _ item: Item, _ path: DrivePath, _ operation: String) throws {
        guard let role = try effectiveRole(db, item) else {
            throw DriveError(.notFound, operation, path.description, "no such file or folder")
        }
        guard role >= needed else {
            let owner = try String.fetchOne(db, sql: "SELECT name FROM user WHERE id = ?", arguments: [item.ownerId]) ?? "the owner"
            throw DriveError(.permissionDenied, operation, path.description, "this needs the \(needed.rawValue) role; you are \(role.withArticle)",
                             hint: "ask \(owner) for access")
        }
    }

    /// Whether `item` is itself the top of a share this user reaches it through (a share root
    /// for them): renaming, moving or deleting it needs the owner.
    func isShareRoot(_ path: DrivePath) -> Bool {
        Self.isSharedPath(path) && path.components.count == 2
    }
}
