import ArgumentParser
import DriveEngine
import Foundation
import Logging

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
        subcommands: [
            Init.self, UserCommand.self, Put.self, Get.self, List.self, MakeFolder.self, Move.self, Remove.self,
            TrashCommand.self, Log.self, Restore.self, Conflicts.self, Resolve.self, Pin.self, Unpin.self, Stats.self, Verify.self, GarbageCollect.self,
            Cat.self, Demo.self, Share.self, DeviceCommand.self, Sync.self, Unshare.self, Shared.self, Transfer.self, InboxCommand.self, NotifyCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    /// Parses and runs; a usage error is one line on stderr and exit 64 (help and version go to
    /// stdout with exit 0), like every other failure. An unknown command is named as such, and a
    /// mistake inside a command points to that command's --help.
    static func main() {
        // Two malloc arenas instead of glibc's 8 per core: the Dispatch threads that hash,
        // compress, commit and write otherwise each grow an arena of their own. Putting the
        // `cairn-bench peers` corpus peaked at 113 MiB instead of 132 MiB, for the same CPU time.
        _ = linuxMallopt(linuxMallocArenaMax, 2)
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `cairn --version` only: ArgumentParser's own version flag would be taken anywhere on
        // the line ("cairn rm /x --version 2" printing the version and doing nothing, exit 0).
        if isVersionRequest(arguments) {
            Output.line(version)
            Glibc.exit(0)
        }
        bootstrapLogging(arguments)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                Glibc.exit(0)
            }
            let words = commandWords(arguments)
            let help = (["cairn"] + words.known + ["--help"]).joined(separator: " ")
            if code == .validationFailure, let unknown = words.unknown {
                Output.error("cairn: unknown command '\(unknown)'; see '\(help)'")
                Glibc.exit(code.rawValue)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Output.error("cairn: \(message.replacingOccurrences(of: "Error: ", with: "")) (see '\(help)')")
            Glibc.exit(code.rawValue)
        }
    }

    static let version = "0.1.0"

    /// Routes the delivery log (swift-log): to stderr for commands, at `$CAIRN_LOG` (trace, debug,
    /// info, notice, warning, error, critical), else info for `notify run` (a service's log) and
    /// error for other commands; nowhere for the full-screen drive, which owns the terminal.
    static func bootstrapLogging(_ arguments: [String]) {
        let words = commandWords(arguments).known
        let level = ProcessInfo.processInfo.environment["CAIRN_LOG"].flatMap(Logger.Level.init(rawValue:))
            ?? (words == ["notify", "run"] ? .info : .error)
        let fullScreen = words.isEmpty || words == ["demo"]
            || (words == ["resolve"] && arguments.contains("--merge") && Resolve.opensMergeScreen(json: arguments.contains("--json")))
        LoggingSystem.bootstrap { label in
            if fullScreen { return SwiftLogNoOpLogHandler() }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Whether `arguments` are `--version`, with at most global options around it.
    static func isVersionRequest(_ arguments: [String]) -> Bool {
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            if optionsWithValues.contains(arguments[index]) { index += 2; continue }
            rest.append(arguments[index])
            index += 1
        }
        return rest == ["--version"]
    }

    /// Options before a command name that take a value (the value is not a command name).
    static let optionsWithValues: Set<String> = ["--store", "--user", "--theme"]

    /// The command names at the front of `arguments` ("trash", "restore"), and the first word
    /// where a command name was expected but none matches ("rmdir", "trash bogus").
    static func commandWords(_ arguments: [String]) -> (known: [String], unknown: String?) {
        var command: any ParsableCommand.Type = Cairn.self
        var known: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" { break }
            if word.hasPrefix("-") {
                if optionsWithValues.contains(word) { index += 1 }
                continue
            }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { break }
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                return (known, (known + [Output.escaped(word)]).joined(separator: " "))
            }
            known.append(word)
            command = next
        }
        return (known, nil)
    }

    /// No command: the full-screen drive for the acting user.
    func run() throws {
        let theme = try interface.loadTheme()
        try global.run { context in
            let drive = try context.drive(announcingWaits: false)
            try interface.open(try context.session(drive), theme: theme, context: context)
        }
    }
}

/// glibc's `mallopt(3)` and its `M_ARENA_MAX` (-8, from <malloc.h>, which Swift's Glibc module
/// does not export).
@_silgen_name("mallopt")
func linuxMallopt(_ parameter: Int32, _ value: Int32) -> Int32
let linuxMallocArenaMax: Int32 = -8
