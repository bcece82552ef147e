import Foundation
import Testing

/// A fresh store and a local working folder in a temporary directory, and the built `cairn` run
/// against them as a subprocess. Everything is removed when the value is released.
///
/// The store is passed through `CAIRN_STORE`; `HOME` and the XDG folders point inside the
/// temporary directory, so no test can touch a real default store. Owned by one test.
final class TemporaryDrive {
    let root: URL
    /// The store folder (`meta.sqlite`, `blocks/packs/XX/NAME.pack`, `lock`).
    let store: URL
    /// The working directory of every run: local files live here.
    let work: URL
    let user: String
    private let binary: URL
    private let outputs: URL

    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates the folders and runs `cairn init` with `initArguments`.
    init(initArguments: [String] = [], user: String = "tester") throws {
        binary = try CairnBinary.url()
        self.user = user
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)")
        store = root.appendingPathComponent("store")
        work = root.appendingPathComponent("work")
        outputs = root.appendingPathComponent("outputs")
        for folder in [work, outputs, root.appendingPathComponent("home")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let made = try run(["init"] + initArguments)
        guard made.status == ExitStatus.ok, made.stdout.contains("created store") else {
            throw SetupFailed(description: "cairn init failed: \(made)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CAIRN_STORE"] = store.path
        environment["CAIRN_USER"] = nil
        environment["USER"] = user
        environment["HOME"] = root.appendingPathComponent("home").path
        environment["XDG_DATA_HOME"] = root.appendingPathComponent("home/data").path
        environment["XDG_CONFIG_HOME"] = root.appendingPathComponent("home/config").path
        environment["LANG"] = "C.UTF-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return environment
    }

    // MARK: Running cairn

    /// Starts `cairn arguments…` without waiting for it.
    func start(_ arguments: [String], environment overrides: [String: String?] = [:]) throws -> CairnProcess {
        var environment = environment
        for (key, value) in overrides { environment[key] = value }
        return try CairnProcess(binary: binary, arguments: arguments, environment: environment, directory: work, outputFolder: outputs)
    }

    /// Runs `cairn arguments…` to the end.
    func run(_ arguments: [String], environment overrides: [String: String?] = [:]) throws -> CommandResult {
        try start(arguments, environment: overrides).wait()
    }

    func run(_ arguments: String...) throws -> CommandResult { try run(arguments) }

    /// Runs `cairn arguments…` and expects exit 0 with nothing on stderr.
    @discardableResult
    func succeed(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let result = try run(arguments)
        result.expectSuccess(sourceLocation: sourceLocation)
        return result
    }

    // MARK: Local files

    /// The local path `relative` below the working folder.
    func local(_ relative: String) -> URL { work.appendingPathComponent(relative) }

    /// Writes a local file below the working folder, creating its folders.
    @discardableResult
    func write(_ relative: String, _ contents: Data) throws -> URL {
        let url = local(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url)
        return url
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL { try write(relative, Data(text.utf8)) }

    func read(_ relative: String) throws -> Data { try Data(contentsOf: local(relative)) }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: local(relative).path) }

    // MARK: Looking inside the store

    /// Runs a read-only query with the sqlite3 command-line shell; rows are lines, columns '|'.
    func sql(_ query: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-readonly", store.appendingPathComponent("meta.sqlite").path, query]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SetupFailed(description: "sqlite3 failed (is the sqlite3 shell installed?): \(String(decoding: problem, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Everything a failed command must leave as it was, seen through the CLI (listing of every
    /// folder, trash, stats) and below it (journal, versions, uploads, block index, pack files).
    func snapshot() throws -> String {
        var parts: [String] = []
        var folders = ["/"]
        while let folder = folders.popLast() {
            let listing = try run("ls", "--json", folder)
            parts.append("ls \(folder): \(listing.stdout)")
            for entry in try listing.jsonObjects() where entry["kind"] as? String == "folder" {
                if let path = entry["path"] as? String { folders.append(path) }
            }
        }
        parts.append("stats: " + (try run("stats", "--json")).stdout)
        parts.append("trash: " + (try run("trash", "list", "--json")).stdout)
        parts.append("tables: " + (try sql("""
            SELECT (SELECT COALESCE(MAX(seq), 0) FROM journal), (SELECT COUNT(*) FROM item), (SELECT COUNT(*) FROM version),
                   (SELECT COUNT(*) FROM uploadSession), (SELECT COUNT(*) FROM blockIndex), (SELECT COUNT(*) FROM pack),
                   (SELECT COUNT(*) FROM user)
            """)))
        let packs = store.appendingPathComponent("blocks")
        let files = (FileManager.default.enumerator(atPath: packs.path)?.allObjects as? [String] ?? []).sorted()
        for file in files {
            let size = (try? FileManager.default.attributesOfItem(atPath: packs.appendingPathComponent(file).path)[.size]) as? Int
            parts.append("\(file) \(size ?? -1)")
        }
        return parts.joined(separator: "\n")
    }
}
