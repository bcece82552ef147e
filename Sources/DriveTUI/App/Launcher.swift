import DriveEngine
import Foundation
import ScreenKit

/// Opens the full-screen drive on the process's terminal: what `cairn` with no command does.
public enum Launcher {
    /// Why the UI could not start; `description` is one line for the CLI.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        /// The explanation.
        public var description: String
    }

    /// Takes over the terminal and runs the app until the user quits, then restores the
    /// terminal and exits the process with status 0. Call it on the main thread; it never
    /// returns (the main queue runs the UI loop). Throws, leaving the terminal untouched, when
    /// standard input or output is not a terminal.
    ///
    /// `notifications` runs while the app does: it fans the journal out to inboxes and delivers,
    /// as every process that opens the store does. What the journal held before the app opened
    /// is fanned out first, so the badge counts it at once and the status line does not
    /// announce old changes as news.
    ///
    /// With `merging`, the app opens on that conflict's merge screen and quits when the merge is
    /// written (exit status 0) or left without writing (`leftOpenStatus`).
    public static func run(session: DriveSession, theme: Theme, notifications: NotificationService,
                           merging conflict: ConflictInfo? = nil, leftOpenStatus: Int32 = 0) throws(StartError) -> Never {
        let context = AppContext(
            storeName: abbreviatingHome(session.drive.location.path), userName: session.user.name,
            localDirectory: FileManager.default.currentDirectoryPath)
        _ = try? session.drive.fanOutNotifications()  // a failure is retried by the service
        let started: Result<Void, StartError> = MainActor.assumeIsolated {
            let terminal: NcursesTerminal
            do throws(NcursesTerminal.StartError) {
                terminal = try NcursesTerminal()
            } catch {
                switch error {
                case .notATerminal:
                    return .failure(StartError(description: "the full-screen drive needs a terminal; "
                        + "use a command instead (see 'cairn --help')"))
                case .unknownTerminalType(let name):
                    return .failure(StartError(description: "the terminal type '\(name)' is unknown to ncurses; "
                        + "try TERM=xterm-256color"))
                }
            }
            let app = App(session: session, terminal: terminal, theme: theme, context: context, merging: conflict)
            let mailbox = app.mailbox
            terminal.startInputNotifications { @Sendable in mailbox.post(.inputReady) }
            notifications.start()
            Task { @MainActor in
                await app.run()
                notifications.stop()
                terminal.shutdown()
                exit(conflict != nil && !app.state.mergeWritten ? leftOpenStatus : 0)
            }
            return .success(())
        }
        if case .failure(let error) = started { throw error }
        dispatchMain()
    }

    /// "~/.local/share/cairn" for a path in the home folder.
    static func abbreviatingHome(_ path: String) -> String {
        let home = NSHomeDirectory()
        guard !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
