import ArgumentParser
import DriveEngine
import DriveTUI
import Foundation

/// `--theme`, for the commands that open the full-screen drive.
struct InterfaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Theme of the full-screen drive: dark, light, high-contrast, or a theme file (default: 'theme =' in $XDG_CONFIG_HOME/cairn/config, else dark).",
        valueName: "name"))
    var theme: String?

    /// The theme to draw with, monochrome under NO_COLOR; an unknown theme is a usage error
    /// (exit 2) reported before the terminal is touched.
    func loadTheme() throws -> Theme {
        do {
            return try ThemeLoader().load(requested: theme)
        } catch {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: DriveError.Code.invalidArgument))
        }
    }

    /// Opens the full-screen drive, with the notification service of `context`'s config running
    /// while it does; returns only when it cannot start (not a terminal).
    func open(_ session: DriveSession, theme: Theme, context: CommandContext) throws {
        let notifications = try context.notifications(session.drive)
        do {
            try Launcher.run(session: session, theme: theme, notifications: notifications)
        } catch {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: DriveError.Code.invalidArgument))
        }
    }
}

extension InterfaceOptions {
    /// Opens the full-screen drive on the merge screen of `conflict` only: it quits when the
    /// merge is written (exit 0) or left (exit 5, the conflict's code: the conflict stays open).
    func openMerge(_ session: DriveSession, conflict: ConflictInfo, theme: Theme, context: CommandContext) throws -> Never {
        let notifications = try context.notifications(session.drive)
        do {
            try Launcher.run(session: session, theme: theme, notifications: notifications, merging: conflict,
                             leftOpenStatus: ExitCodes.code(for: DriveError.Code.conflict))
        } catch {
            Output.error("cairn: \(error)")
            throw ExitCode(ExitCodes.code(for: DriveError.Code.invalidArgument))
        }
    }
}

/// `cairn demo`: a demo drive in a store of its own, opened in the full-screen drive.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a demo drive in its own store and open it.",
        discussion: """
            The demo has four users, folders and files with Korean and English names, files with \
            several versions (text worth diffing), a pinned version and an item in the trash. It \
            lives in $XDG_DATA_HOME/cairn-demo (or --store) and is built on first use; later runs \
            open it as you left it. --reset builds it again.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var interface: InterfaceOptions
    @Flag(help: "Throw away the demo store and build it again.") var reset = false
    @Flag(help: "Only build the demo store and print where it is; do not open it.") var noOpen = false

    /// A file in every demo store: --reset deletes only folders that hold it.
    static let marker = ".cairn-demo"

    func run() throws {
        let theme = try interface.loadTheme()
        try global.run { context in
            let location = demoLocation(context)
            try CommandContext.checkFolder(location)
            let markerPath = location.appendingPathComponent(Self.marker).path
            let exists = FileManager.default.fileExists(atPath: location.appendingPathComponent("meta.sqlite").path)
            if exists && reset {
                guard FileManager.default.fileExists(atPath: markerPath) else {
                    throw DriveError(.invalidArgument, "demo", location.path, "this store is not a demo store; --reset deletes only demo stores")
                }
                do {
                    try FileManager.default.removeItem(at: location)
                } catch {
                    throw DriveError(.io, "demo", location.path, "could not remove the old demo: \(error.localizedDescription)")
                }
            }
            let drive: Drive
            if exists && !reset {
                drive = try Drive.open(at: location, create: false)
            } else {
                drive = try DemoDrive.build(at: location)
                _ = FileManager.default.createFile(atPath: markerPath, contents: Data("cairn demo store\n".utf8))
            }
            let user = global.user ?? DemoDrive.mainUser
            let session = try drive.session(for: user)
            if noOpen {
                Output.line(Output.escaped(location.path))
                return
            }
            try interface.open(session, theme: theme, context: context)
        }
    }

    /// `--store`, else `$XDG_DATA_HOME/cairn-demo` — never the user's own store.
    private func demoLocation(_ context: CommandContext) -> URL {
        if let store = global.store, !store.isEmpty { return URL(fileURLWithPath: store) }
        return Drive.defaultLocation(environment: context.environment).deletingLastPathComponent()
            .appendingPathComponent("cairn-demo")
    }
}
