import Foundation
import Testing

/// A store of its own in a temporary directory for one end-to-end UI test, with the built `cairn`
/// run against it both ways: through the CLI (stdout and stderr to files) and full-screen in a
/// tmux pane. `HOME` and the XDG folders point inside the temporary directory, so no real
/// config, theme or store is read. Everything is removed when the value is released.
final class UIStore {
    let root: URL
    /// The store folder.
    let store: URL
    /// The working directory of every run: local files live here.
    let work: URL
    private let home: URL
    private let outputs: URL
    private let binary: URL

    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    private init() throws {
        binary = try CairnBinary.url()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-e2e-\(UUID().uuidString)")
        store = root.appendingPathComponent("store")
        work = root.appendingPathComponent("work")
        home = root.appendingPathComponent("home")
        outputs = root.appendingPathComponent("outputs")
        for folder in [work, home, outputs] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The demo drive (`cairn demo --no-open --store …`): main user minji, /문서 shared with alice
    /// (editor) and bob (viewer), /문서/회의록.md with four versions.
    static func demo() throws -> UIStore {
        let drive = try UIStore()
        let built = try drive.cli(["demo", "--no-open", "--store", drive.store.path])
        guard built.status == 0, built.stdout.contains(drive.store.path) else {
            throw SetupFailed(description: "cairn demo --no-open failed: \(built)")
        }
        return drive
    }

    /// No store yet, only the temporary home (for `cairn demo --store …` in a pane).
    static func unbuilt() throws -> UIStore { try UIStore() }

    /// An empty store with `users` besides the one `init` makes.
    static func empty(users: [String] = []) throws -> UIStore {
        let drive = try UIStore()
        try drive.succeed(["init"])
        for user in users { try drive.succeed(["user", "add", user]) }
        return drive
    }

    /// The environment of every run: the store and a home of its own.
    var environment: [String: String] {
        [
            "CAIRN_STORE": store.path,
            "HOME": home.path,
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "USER": "tester",
            "LANG": "C.UTF-8",
        ]
    }

    // MARK: The CLI

    /// Runs `cairn arguments…` to the end, as `user` when given.
    func cli(_ arguments: [String], as user: String? = nil) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in self.environment { environment[name] = value }
        environment["CAIRN_USER"] = user
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let process = try CairnProcess(binary: binary, arguments: arguments, environment: environment,
                                       directory: work, outputFolder: outputs)
        return try process.wait(timeout: 60)
    }

    /// Runs `cairn arguments…` and throws unless it exits 0.
    @discardableResult
    func succeed(_ arguments: [String], as user: String? = nil) throws -> CommandResult {
        let result = try cli(arguments, as: user)
        guard result.status == 0, !result.killedBySignal else {
            throw SetupFailed(description: "setup step failed: \(result)")
        }
        return result
    }

    /// Writes a local file below the working folder, creating its folders.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let url = work.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    // MARK: The full-screen UI

    /// Opens `cairn --store … --user USER` in a `width`×`height` tmux pane.
    func open(as user: String, width: Int = 100, height: Int = 30, arguments: [String] = []) throws -> TmuxSession {
        try TmuxSession.cairn(["--store", store.path, "--user", user] + arguments, width: width, height: height,
                              environment: environment, directory: work)
    }

    /// Opens `cairn arguments…` in a pane after a shell has printed `banner`, as a user at a
    /// prompt would start it: what is left on the terminal afterwards shows whether it was restored.
    func openAfterBanner(_ banner: String, arguments: [String], width: Int = 100, height: Int = 30) throws -> TmuxSession {
        try TmuxSession(["/bin/sh", "-c", "printf '%s\\n' \"$0\"; exec \"$@\"", banner, try CairnBinary.url().path] + arguments,
                        width: width, height: height, environment: environment, directory: work)
    }
}
