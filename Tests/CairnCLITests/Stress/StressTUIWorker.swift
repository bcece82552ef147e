import Foundation
import Testing

/// The full-screen drive's share of the stress load: in a tmux pane on the stressed store, it
/// adds a new local file with `a` (the prompt, then Enter), downloads a file nobody changes with
/// the command line (`:get PATH LOCAL`), moves every other file it added to the trash (`:rm`)
/// and empties the trash (`3`, `P`, `y`), again and again
/// until a deadline, waiting each time for the status line to tell how it went. One process
/// for the whole run: what it keeps open (pack files) lives across many `gc` runs.
///
/// A status message that is neither the success text nor "the store is busy" is a failure, and
/// so is a download that gives other bytes. Owned by one test.
final class StressTUIWorker {
    let session: TmuxSession
    let drive: TemporaryDrive
    /// Drive paths the UI added (success message seen) and did not trash, with the local file
    /// each came from.
    private(set) var added: [(path: String, local: URL)] = []
    /// Files added, trashed ones included.
    private(set) var addedCount = 0
    private(set) var emptied = 0
    /// Status lines of failed actions, as shown.
    private(set) var failures: [String] = []
    /// Failures that said the store is busy (a documented "try again").
    private(set) var busy = 0
    private(set) var downloaded = 0
    private(set) var trashed = 0
    /// The file to download each round: its drive path and a local copy of its content.
    var untouched: (path: String, original: URL)?

    static let width = 160, height = 30
    /// Generous: on a 2-core machine under the whole load a put can take seconds.
    static let stepTimeout = 90.0

    init(drive: TemporaryDrive) throws {
        self.drive = drive
        session = try TmuxSession.cairn(["--store", drive.store.path, "--user", drive.user], width: Self.width, height: Self.height,
                                        environment: drive.environment, directory: drive.work)
        try session.waitFor(screen: " Cairn  \(drive.user) @ ", timeout: 60)
    }

    /// The status line (the row above the key hints).
    var statusLine: String {
        get throws { Screen(try session.capture()).lines.dropFirst(Self.height - 2).first?.text ?? "" }
    }

    /// Adds files and empties the trash, in turns, until `deadline`.
    func run(until deadline: Date) throws {
        var round = 0
        while Date() < deadline {
            round += 1
            try add(round)
            try download(round)
            // Every other added file goes to the trash, so the trash has something to empty
            // (unless a `cairn trash empty` of the load got there first).
            if round % 2 == 1, added.last?.path == "/tui-\(round).bin" { try trash("/tui-\(round).bin") }
            try emptyTrash()
        }
    }

    /// `a`, the name of a new local file, Enter; waits for "Added /NAME" or a failure.
    private func add(_ round: Int) throws {
        let name = "tui-\(round).bin"
        let local = try drive.write(name, SeededBytes.data(count: 40_000 + round * 997, seed: 0x7E1 &+ UInt64(round)))
        try session.sendKeys("1")
        try session.waitForScreen("My Drive", timeout: Self.stepTimeout) { $0.lines.count > 2 && $0[2].text.contains("My Drive") }
        try session.sendKeys("a")
        try session.waitFor(screen: "Add a local file or folder to /", timeout: Self.stepTimeout)
        try session.type(name)
        try session.sendKeys("Enter")
        let screen = try session.waitForScreen("the outcome of adding \(name)", timeout: Self.stepTimeout) {
            $0.raw.contains("Added /\(name)") || $0.raw.contains("put /\(name)")
        }
        if screen.raw.contains("Added /\(name)") {
            added.append(("/\(name)", local))
            addedCount += 1
        } else {
            note(try statusLine)
        }
    }

    /// `:get PATH LOCAL`, Enter; waits for "Downloaded PATH" or a failure; compares the bytes.
    private func download(_ round: Int) throws {
        guard let (path, original) = untouched else { return }
        let local = drive.local("tui-get-\(round).bin")
        try session.sendKeys("1", ":")
        try session.type("get \(path) \(local.path)")
        try session.sendKeys("Enter")
        let screen = try session.waitForScreen("the outcome of getting \(path)", timeout: Self.stepTimeout) { screen in
            let status = screen.lines.dropFirst(Self.height - 2).first?.text ?? ""
            return screen.raw.contains("Downloaded \(path)") || status.trimmingCharacters(in: .whitespaces).hasPrefix("get \(path):")
        }
        defer { try? FileManager.default.removeItem(at: local) }
        guard screen.raw.contains("Downloaded \(path)") else { return note(try statusLine) }
        downloaded += 1
        if (try? SeededBytes.sameContents(local, original)) != true {
            failures.append("get \(path) in the full-screen drive wrote other bytes to \(local.path)")
        }
    }

    /// `:rm PATH`, Enter; waits for "Moved PATH to the trash" or a failure.
    private func trash(_ path: String) throws {
        try session.sendKeys("1", ":")
        try session.type("rm \(path)")
        try session.sendKeys("Enter")
        let screen = try session.waitForScreen("the outcome of removing \(path)", timeout: Self.stepTimeout) { screen in
            let status = screen.lines.dropFirst(Self.height - 2).first?.text ?? ""
            return screen.raw.contains("Moved \(path) to the trash") || status.trimmingCharacters(in: .whitespaces).hasPrefix("rm \(path):")
        }
        if screen.raw.contains("Moved \(path) to the trash") {
            added.removeAll { $0.path == path }
            trashed += 1
        } else {
            note(try statusLine)
        }
    }

    /// `3` (Trash), `P`, `y`; waits for "Emptied the trash" or a failure. An empty trash is
    /// skipped (the key is disabled then).
    private func emptyTrash() throws {
        try session.sendKeys("3")
        try session.waitForScreen("the Trash view", timeout: Self.stepTimeout) { $0.lines.count > 2 && $0[2].text.contains("Trash") }
        try session.sendKeys("P")
        let asked = try session.waitForScreen("the empty-trash dialog or a refusal", timeout: Self.stepTimeout) {
            $0.raw.contains("Empty the trash?") || $0.raw.contains("The trash is empty")
        }
        guard asked.raw.contains("Empty the trash?") else { return }
        try session.sendKeys("y")
        let done = try session.waitForScreen("the trash emptied", timeout: Self.stepTimeout) { screen in
            let status = screen.lines.dropFirst(Self.height - 2).first?.text ?? ""
            return !screen.raw.contains("Empty the trash?") && !status.contains("Emptying the trash")
        }
        let status = done.lines.dropFirst(Self.height - 2).first?.text ?? ""
        if status.contains("Emptied the trash") { emptied += 1 } else { note(status) }
    }

    private func note(_ status: String) {
        if status.contains("busy") { busy += 1 } else { failures.append(status.trimmingCharacters(in: .whitespaces)) }
    }

    /// Quits with `q` and waits for the exit status.
    func quit() throws -> Int32 {
        try session.sendKeys("1", "q")
        return try session.waitForExit(timeout: 30)
    }
}
