import ArgumentParser
import DriveEngine
import Foundation

/// `--store` and `--user`, accepted before or after the command name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Store folder (default: $CAIRN_STORE, else $XDG_DATA_HOME/cairn).", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Act as this user (default: $CAIRN_USER, else $USER).", valueName: "name"))
    var user: String?

    /// Runs `body` turning a `DriveError` into one line on stderr and its exit code.
    func run(_ body: (CommandContext) throws -> Void) throws {
        do {
            try body(CommandContext(options: self))
        } catch let error as DriveError {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: error.code))
        }
    }
}

/// Where the store is and who acts, resolved from options and the environment.
struct CommandContext {
    let options: GlobalOptions
    let environment = ProcessInfo.processInfo.environment

    var storeLocation: URL {
        if let store = options.store ?? environment["CAIRN_STORE"], !store.isEmpty {
            return URL(fileURLWithPath: store)
        }
        return Drive.defaultLocation(environment: environment)
    }

    /// Opens (creating on first use) the store.
    func drive(create: Bool = true) throws -> Drive {
        try Drive.open(at: storeLocation, create: create)
    }

    /// The acting user; the default user (named after $USER) is created on first use.
    func session(_ drive: Drive) throws -> DriveSession {
        if let name = options.user ?? environment["CAIRN_USER"], !name.isEmpty {
            return try drive.session(for: name)
        }
        let name = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "me"
        return DriveSession(drive: drive, user: try drive.user(named: name, createIfMissing: true))
    }

    /// Opens the store and the acting user's session.
    func session() throws -> DriveSession {
        try session(drive())
    }
}

/// The documented exit codes (cairn(1), EXIT STATUS), in one place.
enum ExitCodes {
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
        }
    }
}
