import Foundation
import GRDB

/// A user's quota and what counts against it.
public struct QuotaUsage: Sendable, Equatable {
    /// Bytes of every version kept of the files the user owns (the trash included).
    public var usedBytes: Int64
    /// The limit, or nil for unlimited (the default).
    public var quotaBytes: Int64?
}

extension Drive {
    /// Sets (or, with nil, removes) the quota of user `name`.
    public func setQuota(user name: String, bytes: Int64?) throws(DriveError) {
        if let bytes, bytes < 0 { throw DriveError(.invalidArgument, "user quota", name, "a quota cannot be negative") }
        let user = try user(named: name)
        try write("user quota", name) { db in
            try db.execute(sql: "UPDATE user SET quotaBytes = ? WHERE id = ?", arguments: [bytes, user.id])
            try Self.journal(db, .quotaChanged, at: clock(), actor: nil, owner: user.id, target: user.id, amount: bytes)
        }
    }

    /// What user `name` uses of their quota.
    public func quotaUsage(user name: String) throws(DriveError) -> QuotaUsage {
        let user = try user(named: name)
        return try read("user quota", name) { db in try Self.quotaUsage(db, owner: user.id!) }
    }

    static func quotaUsage(_ db: Database, owner: Int64) throws -> QuotaUsage {
        let used = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(version.size), 0) FROM version JOIN item ON item.id = version.itemId WHERE item.ownerId = ?
            """, arguments: [owner]) ?? 0
        let quota = try Int64.fetchOne(db, sql: "SELECT quotaBytes FROM user WHERE id = ?", arguments: [owner])
        return QuotaUsage(usedBytes: used, quotaBytes: quota)
    }

    /// Refuses, before anything is stored, a write of `bytes` that would take `owner` over quota.
    /// Counted against the owner of the folder written to, whoever writes.
    func checkQuota(owner: Int64, adding bytes: Int64, _ operation: String, _ subject: String) throws(DriveError) {
        guard bytes > 0 else { return }
        try read(operation, subject) { db in try Self.checkQuota(db, owner: owner, adding: bytes, operation, subject) }
    }

    /// The same check inside a transaction.
    static func checkQuota(_ db: Database, owner: Int64, adding bytes: Int64, _ operation: String, _ subject: String) throws {
        let usage = try quotaUsage(db, owner: owner)
        guard let quota = usage.quotaBytes, bytes > 0, usage.usedBytes + bytes > quota else { return }
        let name = try String.fetchOne(db, sql: "SELECT name FROM user WHERE id = ?", arguments: [owner]) ?? "?"
        throw DriveError(.storageFull, operation, subject,
                         "\(name)'s quota of \(quota) bytes would be exceeded (\(usage.usedBytes) used, \(bytes) more)",
                         hint: "free space by emptying the trash or unpinning versions, or raise the quota")
    }
}
