import Foundation
import GRDB

extension Drive {
    /// Every user, by name.
    public func users() throws(DriveError) -> [User] {
        try read("user list", "") { db in try User.order(Column("name")).fetchAll(db) }
    }

    /// The user called `name`, or `notFound`.
    public func user(named name: String) throws(DriveError) -> User {
        let found = try read("user", name) { db in try User.filter(Column("name") == name).fetchOne(db) }
        guard let found else {
            throw DriveError(.notFound, "user", name, "no such user", hint: "see 'cairn user list' or add one with 'cairn user add'")
        }
        return found
    }

    /// Adds a user with an empty drive of their own.
    @discardableResult
    public func addUser(name: String, displayName: String? = nil, email: String? = nil, phone: String? = nil) throws(DriveError) -> User {
        try Self.checkUserName(name)
        try Self.checkContact(email: email, phone: phone, operation: "user add", name)
        let now = clock()
        return try write("user add", name) { db in
            if try User.filter(Column("name") == name).fetchCount(db) > 0 {
                throw DriveError(.alreadyExists, "user add", name, "a user with this name exists")
            }
            var user = User(id: nil, name: name, displayName: displayName ?? name, email: email, phone: phone,
                            quotaBytes: nil, rootId: nil, createdAt: now)
            try user.insert(db)
            var root = Item(id: nil, parentId: nil, ownerId: user.id!, name: "", kind: .folder, createdAt: now,
                            modifiedAt: now, modifiedBy: user.id!, headVersionId: nil, size: 0, versionCount: 0)
            try root.insert(db)
            user.rootId = root.id
            try user.update(db)
            try Self.journal(db, .userAdded, at: now, actor: nil, owner: user.id, target: user.id)
            return user
        }
    }

    /// Changes `name`'s display name, email address or phone number (nil leaves one as it is; an
    /// empty string removes an email address or phone number). Notifications use the new ones
    /// from the next change on.
    @discardableResult
    public func setContact(user name: String, displayName: String? = nil, email: String? = nil, phone: String? = nil) throws(DriveError) -> User {
        try Self.checkContact(email: email.flatMap { $0.isEmpty ? nil : $0 }, phone: phone.flatMap { $0.isEmpty ? nil : $0 },
                              operation: "user set", name)
        if let displayName, displayName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DriveError(.invalidArgument, "user set", name, "the display name is empty")
        }
        var user = try self.user(named: name)
        if let displayName { user.displayName = displayName }
        if let email { user.email = email.isEmpty ? nil : email }
        if let phone { user.phone = phone.isEmpty ? nil : phone }
        let changed = user
        try write("user set", name) { db in try changed.update(db) }
        return changed
    }

    /// Refuses an email address without '@' (or with spaces) and a phone number with anything but
    /// digits, '+', '-', '(', ')' and spaces.
    static func checkContact(email: String?, phone: String?, operation: String, _ name: String) throws(DriveError) {
        if let email, !email.contains("@") || email.contains(" ") {
            throw DriveError(.invalidArgument, operation, name, "'\(email)' is not an email address")
        }
        if let phone, phone.isEmpty || !phone.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) {
            throw DriveError(.invalidArgument, operation, name, "'\(phone)' is not a phone number")
        }
    }

    /// The user called `name`, created on first use when `create` is set (the default store's
    /// first run creates a user named after `$USER`).
    public func user(named name: String, createIfMissing create: Bool) throws(DriveError) -> User {
        do {
            return try user(named: name)
        } catch where error.code == .notFound && create {
            return try addUser(name: name)
        }
    }

    /// A session acting as `name`.
    public func session(for name: String) throws(DriveError) -> DriveSession {
        DriveSession(drive: self, user: try user(named: name))
    }

    /// The one rule for user names, which every front end applies before it makes a user: 1–64
    /// letters, digits, '.', '_' or '-', not starting with '-' and not only dots. Pure; any thread.
    ///
    /// Throws `invalidArgument` for operation `operation` naming `name` when it breaks the rule.
    public static func checkUserName(_ name: String, operation: String = "user add") throws(DriveError) {
        let allowed = name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
        // Not only dots: "." and ".." would read as paths ("/shared/… (..)", transfer names).
        guard !name.isEmpty, name.count <= 64, allowed, name.first != "-", !name.allSatisfy({ $0 == "." }) else {
            throw DriveError(.invalidArgument, operation, name,
                             "a user name is 1–64 letters, digits, '.', '_' or '-', not starting with '-' and not only dots")
        }
    }
}
