import ArgumentParser
import DriveEngine
import Foundation

/// `cairn`: with no command, the full-screen drive; with one, a scriptable CLI.
@main
struct Cairn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "A drive for the terminal: files, versions and sharing over a deduplicated block store.",
        discussion: """
            Run with no command to open the full-screen drive. Exit codes: 0 ok, 1 I/O or internal \
            error, 2 invalid argument, 3 not found, 4 already exists, 5 conflict, 6 permission denied, \
            7 corrupted, 8 storage full, 64 usage, 130 cancelled. See cairn(1).
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, UserCommand.self, Put.self, Get.self, List.self, MakeFolder.self, Move.self, Remove.self,
            TrashCommand.self, Log.self, Restore.self, Pin.self, Unpin.self, Stats.self, Verify.self, GarbageCollect.self,
            Cat.self, Demo.self, Share.self, Unshare.self, Shared.self, Transfer.self,
        ]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    /// Parses and runs; a usage error is one line on stderr and exit 64 (help and version go to
    /// stdout with exit 0), like every other failure.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Output.error("cairn: \(message.replacingOccurrences(of: "Error: ", with: "")) (see 'cairn --help')")
            Glibc.exit(code.rawValue)
        }
    }

    /// No command: the full-screen drive for the acting user.
    func run() throws {
        let theme = try interface.loadTheme()
        try global.run { context in
            let drive = try context.drive()
            try interface.open(try context.session(drive), theme: theme)
        }
    }
}
