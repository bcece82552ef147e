import Foundation
import Testing

/// `--help` works on every command, and argument mistakes exit 64 (usage) without touching stdout.
@Suite struct HelpAndUsageTests {
    static let commands: [[String]] = [
        [], ["init"], ["user"], ["user", "add"], ["user", "list"], ["put"], ["get"], ["cat"], ["ls"], ["mkdir"], ["mv"], ["rm"],
        ["trash"], ["trash", "list"], ["trash", "restore"], ["trash", "empty"], ["log"], ["restore"], ["pin"], ["unpin"],
        ["stats"], ["verify"], ["gc"],
    ]

    @Test(arguments: commands)
    func helpExitsZero(_ command: [String]) throws {
        let drive = try TemporaryDrive()
        let result = try drive.run(command + ["--help"])
        result.expectSuccess()
        #expect(result.stdout.contains("USAGE: " + (["cairn"] + command).joined(separator: " ")), "\(result)")
        #expect(result.stdout.contains("OVERVIEW: "), "\(result)")
    }

    @Test func topLevelHelpListsEveryCommand() throws {
        let drive = try TemporaryDrive()
        let help = try drive.succeed("--help").stdout
        for command in Set(Self.commands.compactMap(\.first)) {
            #expect(help.contains("\n  \(command) "), "cairn --help does not list \(command)")
        }
    }

    static let mistakes: [[String]] = [
        ["frobnicate"], ["put"], ["restore", "/a.txt"], ["pin", "/a.txt", "--version", "two"], ["ls", "--bogus"],
        ["get", "/a.txt", "b", "c"], ["trash", "purge"],
        // --version is a command's option (get, cat, restore, pin) or, alone, the program's.
        ["rm", "/a.txt", "--version", "2"], ["put", "a.txt", "/b.txt", "--version", "1"], ["log", "/a.txt", "--version", "1"],
        ["bogus", "--version"], ["--version", "-1"],
    ]

    @Test func versionAlonePrintsTheVersion() throws {
        let drive = try TemporaryDrive()
        #expect(try drive.succeed("--version").stdout == "0.1.0\n")
    }

    @Test(arguments: mistakes)
    func usageMistakesExit64(_ arguments: [String]) throws {
        let drive = try TemporaryDrive()
        let before = try drive.snapshot()
        let result = try drive.run(arguments)
        #expect(!result.killedBySignal && result.status == ExitStatus.usage, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(!result.stderr.isEmpty, "\(result)")
        #expect(try drive.snapshot() == before)
        // Issue 2: "Every CLI failure prints one line to stderr", usage mistakes included.
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("cairn: "), "\(result)")
    }
}
