#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// A device: a local folder kept in sync with a drive folder, for one user.
public struct Device: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "device"
    public var id: Int64
    public var userId: Int64
    /// Unique among the user's devices ("laptop", "phone").
    public var name: String
    /// The local folder, absolute.
    public var folder: String
    /// The drive folder it mirrors.
    public var drivePath: String
    public var createdAt: Date
    /// When a sync of it last finished; nil until the first.
    public var lastSyncAt: Date?
    /// What stopped its last sync, if one failed.
    public var lastError: String?
    /// Local entries its last sync skipped (unreadable, or names the drive refuses).
    public var skipped: Int
}

extension DriveSession {
    /// Binds the local folder `folder` (created when missing, its parent must exist) to the drive
    /// folder `path` (made on the first sync when missing) as device `name`. Refuses a name in
    /// use, a folder another device has or that holds or sits in one, and a drive path that is a file.
    @discardableResult
    public func addDevice(name: String, folder: String, path: String = "/") throws(DriveError) -> Device {
        let operation = "device add"
        guard !name.isEmpty, !name.contains("/"), !name.utf8.contains(0), name.count <= 64 else {
            throw DriveError(.invalidArgument, operation, name, "a device name must be 1-64 characters without '/'")
        }
        let local = Self.absolute(folder)
        try LocalTree.checkNoNul(local, operation)
        let drivePath = try parsePath(path, operation)
        var st = stat()
        let exists = lstat(local, &st) == 0
        if exists && st.st_mode & S_IFMT != S_IFDIR {
            throw DriveError(.invalidArgument, operation, local, "not a folder", hint: "name a folder (it is made when missing)")
        }
        if (local + "/").hasPrefix(drive.location.path + "/") || (drive.location.path + "/").hasPrefix(local + "/") {
            throw DriveError(.invalidArgument, operation, local, "the folder holds or is inside the store itself",
                             hint: "choose a folder outside \(drive.location.path)")
        }
        let now = drive.clock()
        return try drive.write(operation, name) { db in
            if let item = try lookup(db, drivePath), !item.isFolder {
                throw DriveError(.invalidArgument, operation, drivePath.description, "a file, not a folder", hint: "sync a folder")
            }
            if try Device.filter(Column("userId") == userID && Column("name") == name).fetchOne(db) != nil {
                throw DriveError(.alreadyExists, operation, name, "you have a device by that name",
                                 hint: "see 'cairn device list', or choose another name")
            }
            for other in try Device.fetchAll(db) {
                let a = other.folder + "/", b = local + "/"
                if a.hasPrefix(b) || b.hasPrefix(a) {
                    throw DriveError(.alreadyExists, operation, local, "device \(other.name) syncs \(other.folder), which overlaps it",
                                     hint: "choose a folder of its own")
                }
            }
            // Made only once nothing else refuses the device, so a refusal leaves no folder behind.
            if !exists && mkdir(local, 0o755) != 0 {
                throw DriveError(errno == ENOENT ? .notFound : .io, operation, local,
                                 "cannot make the folder: \(String(cString: strerror(errno)))")
            }
            try db.execute(sql: """
                INSERT INTO device (userId, name, folder, drivePath, createdAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [userID, name, local, drivePath.description, now.timeIntervalSince1970])
            return try Device.fetchOne(db, key: db.lastInsertedRowID)!
        }
    }

    /// This user's devices, by name.
    public func devices() throws(DriveError) -> [Device] {
        try drive.read("device list", "") { db in
            try Device.filter(Column("userId") == userID).order(Column("name")).fetchAll(db)
        }
    }

    /// This user's device `name`.
    public func device(named name: String, _ operation: String = "device") throws(DriveError) -> Device {
        let found = try drive.read(operation, name) { db in
            try Device.filter(Column("userId") == userID && Column("name") == name).fetchOne(db)
        }
        guard let found else {
            throw DriveError(.notFound, operation, name, "no such device", hint: "see 'cairn device list'")
        }
        return found
    }

    /// Forgets device `name` and what it last synced; its folder and files are left alone.
    public func removeDevice(named name: String) throws(DriveError) {
        let device = try self.device(named: name, "device remove")
        try drive.write("device remove", name) { db in
            try db.execute(sql: "DELETE FROM localFile WHERE userId = ? AND localPath > ? AND localPath < ?",
                           arguments: [userID, device.folder + "/", device.folder + "0"])
            try db.execute(sql: "DELETE FROM device WHERE id = ?", arguments: [device.id])
        }
    }
}
