import Foundation
import Testing

/// man/cairn.1 must document every command the binary has and every exit code it uses.
@Suite struct ManPageTests {
    static let manPage: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("man/cairn.1")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The subcommand names listed under SUBCOMMANDS in `--help` output.
    static func subcommands(_ help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:") else { return [] }
        var names: [String] = []
        for line in help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("      ") else { continue }
            if let name = line.split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    @Test func everyCommandIsDocumented() throws {
        #expect(!Self.manPage.isEmpty, "man/cairn.1 is missing")
        let drive = try TemporaryDrive()
        let top = Self.subcommands(try drive.succeed("--help").stdout)
        #expect(top.count >= 15, "could not read the command list: \(top)")
        for command in top where command != "help" {
            #expect(Self.manPage.contains(".B \(command)"), "man/cairn.1 lacks the command '\(command)'")
            for sub in Self.subcommands(try drive.succeed(command, "--help").stdout) where sub != "help" {
                #expect(Self.manPage.contains(".B \(command) \(sub)") || Self.manPage.contains("\\fB\(sub)\\fR"),
                        "man/cairn.1 lacks '\(command) \(sub)'")
            }
        }
    }

    @Test func everyExitCodeIsDocumented() {
        for code in [0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 130] {
            #expect(Self.manPage.contains(".B \(code)\n"), "EXIT STATUS lacks \(code)")
        }
    }

    @Test func everyEnvironmentVariableIsDocumented() {
        for name in ["CAIRN_STORE", "CAIRN_USER", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "NO_COLOR"] {
            #expect(Self.manPage.contains(".B \(name)"), "ENVIRONMENT lacks \(name)")
        }
    }
}
