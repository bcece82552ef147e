import ArgumentParser
import DriveEngine
import Foundation
import Notifier

/// `--store` and `--user`, accepted before or after the command name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Store folder (default: $CAIRN_STORE, else $XDG_DATA_HOME/cairn).", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Act as this user (default: $CAIRN_USER, else $USER).", valueName: "name"))
    var user: String?

    /// Runs `body` turning a `DriveError`, `NotifierError` or `CommandFailure` into one line on
    /// stderr and its exit code. Before it returns, the command's own changes are fanned out to
    /// notifications and delivered for a bounded time (`[delivery] cli-wait`), whether it
    /// succeeded or not: what it committed, it announces.
    func run(_ body: (CommandContext) throws -> Void) throws {
        let context = CommandContext(options: self)
        defer { context.settleNotifications() }
        do {
            try body(context)
        } catch let error as DriveError {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: error.code))
        } catch let error as NotifierError {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: error.code))
        } catch let failure as CommandFailure {
            Output.error("cairn: \(failure.message)")
            throw ExitCode(ExitCodes.code(for: failure.code))
        }
    }
}

/// A failure the CLI itself finds (before the engine is asked): printed as "cairn: MESSAGE" with
/// the exit code of `code`.
struct CommandFailure: Error {
    var code: DriveError.Code
    var message: String
}

/// Where the store is and who acts, resolved from options and the environment.
struct CommandContext {
    let options: GlobalOptions
    let environment = ProcessInfo.processInfo.environment
    /// The store this command opened, if any: its notifications are settled before exit.
    let opened = OpenedDrive()

    /// `--store` or `CAIRN_STORE`, when given (and not empty).
    var explicitStore: String? {
        if let store = options.store ?? environment["CAIRN_STORE"], !store.isEmpty { return store }
        return nil
    }

    var storeLocation: URL {
        if let store = explicitStore { return URL(fileURLWithPath: store) }
        return Drive.defaultLocation(environment: environment)
    }

    /// `--user` or `CAIRN_USER`, when given (and not empty).
    var explicitUser: String? {
        if let name = options.user ?? environment["CAIRN_USER"], !name.isEmpty { return name }
        return nil
    }

    /// The user a new store starts with: the explicit user, else `$USER`, else "me".
    var firstUserName: String {
        explicitUser ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "me"
    }

    /// Opens the store. Only the default store is created on first use; an explicit `--store`
    /// (or `CAIRN_STORE`) that holds no store is "not found" (exit 3) — `cairn init` makes one.
    /// A command that waits for another cairn's hold on the store says so on stderr, unless
    /// `announcingWaits` is off (the full-screen drive: nothing may print while it owns the screen).
    func drive(announcingWaits: Bool = true) throws -> Drive {
        let location = storeLocation
        try Self.checkFolder(location)
        let exists = Self.hasStore(at: location)
        if !exists {
            if explicitStore != nil {
                let path = Self.quoted(location.path)
                throw CommandFailure(code: .notFound, message: "no store at \(location.path); create it with 'cairn --store \(path) init'")
            }
            try Self.checkNewUserName(firstUserName)
        }
        let drive = try Drive.open(at: location, create: true, whenWaiting: {
            if announcingWaits {
                Output.error("cairn: waiting for another cairn to finish with the store (a gc, or a put while a gc waits)...")
            }
        }, notifications: try notifierConfiguration(), templateFolder: configFolder.appendingPathComponent("templates").path)
        opened.drive = drive
        return drive
    }

    /// The acting user. In a store without users yet (just created), the first user is made:
    /// the explicit `--user`/`CAIRN_USER`, else one named after `$USER`. After that the acting
    /// user, explicit or named after `$USER`, must exist.
    func session(_ drive: Drive) throws -> DriveSession {
        if let name = explicitUser {
            if try drive.users().isEmpty {
                return DriveSession(drive: drive, user: try drive.user(named: name, createIfMissing: true))
            }
            return try drive.session(for: name)
        }
        // Only a store's first use makes the implicit user: a command never adds a user to a
        // store made for others (a read such as `user list` included).
        let users = try drive.users()
        if users.isEmpty || users.contains(where: { $0.name == firstUserName }) {
            return DriveSession(drive: drive, user: try drive.user(named: firstUserName, createIfMissing: true))
        }
        throw CommandFailure(code: .notFound, message: "user \(firstUserName): no such user in this store; "
                             + "pass --user NAME (one of \(users.prefix(5).map(\.name).joined(separator: ", "))) "
                             + "or add it with 'cairn user add \(firstUserName)'")
    }

    /// Opens the store and the acting user's session.
    func session() throws -> DriveSession {
        try session(drive())
    }

    /// Whether `location` holds a store (its metadata database).
    static func hasStore(at location: URL) -> Bool {
        FileManager.default.fileExists(atPath: location.appendingPathComponent("meta.sqlite").path)
    }

    /// Refuses a store path that is (or lies below) a regular file, in words instead of
    /// Foundation's "The operation could not be completed".
    static func checkFolder(_ location: URL) throws {
        var folder = location.standardizedFileURL
        while true {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    let what = folder.path == location.standardizedFileURL.path ? location.path : "\(location.path): \(folder.path)"
                    throw CommandFailure(code: .invalidArgument,
                                         message: "\(what) is a file, not a store folder; pass --store a folder")
                }
                return
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return }
            folder = parent
        }
    }

    /// The rule `cairn user add` applies, checked before a store is created so a bad first user
    /// name never leaves a store behind.
    static func checkNewUserName(_ name: String) throws {
        do { try Drive.checkUserName(name, operation: "user") } catch {
            throw CommandFailure(code: error.code, message: "user \(name): \(error.reason) (pass --user NAME)")
        }
    }

    /// `path` as a shell word inside a single-quoted suggestion: double-quoted when it holds
    /// anything but plain characters.
    static func quoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:@".unicodeScalars.contains($0) }
        if plain { return path }
        var word = "\""
        for character in path {
            if "\"\\$`".contains(character) { word.append("\\") }
            word.append(character)
        }
        return word + "\""
    }
}

/// The drive a command opened (a box: the context is a value passed around by copy).
final class OpenedDrive {
    var drive: Drive?
}

/// The documented exit codes (cairn(1), EXIT STATUS), in one place.
enum ExitCodes {
    static func code(for code: NotifierError.Code) -> Int32 {
        switch code {
        case .invalidArgument: 2
        case .notFound: 3
        case .io: 1
        case .busy: 75
        }
    }

    static func code(for code: DriveError.Code) -> Int32 {
        switch code {
        case .io: 1
        case .invalidArgument: 2
        case .notFound: 3
        case .alreadyExists: 4
        case .conflict: 5
        case .permissionDenied: 6
        case .corrupted: 7
        case .storageFull: 8
        case .cancelled: 130
        case .busy: 75 // EX_TEMPFAIL: try again
        }
    }
}
