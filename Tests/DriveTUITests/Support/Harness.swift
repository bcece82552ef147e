import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The app on an in-memory terminal over a ``TestDrive`` (as minji) or the ``DemoStore`` (as
/// any of its users): press keys, wait for the background work, read the screen. Main actor,
/// like the app.
@MainActor
final class Harness {
    /// The store, kept alive as long as the app uses it.
    private let store: AnyObject
    let terminal: MemoryTerminal
    let app: App

    /// The small test drive (for harnesses made without a demo store).
    var drive: TestDrive { store as! TestDrive }
    /// The demo store (for harnesses made with one).
    var demo: DemoStore { store as! DemoStore }

    /// The dark theme, as the snapshots are recorded with.
    nonisolated static let theme = try! ThemeLoader(environment: [:]).theme(named: "dark")

    /// A context with fixed names, folders and time zone, so snapshots do not depend on the machine.
    nonisolated static func context(local: String = "/home/minji", user: String = "minji") -> AppContext {
        AppContext(storeName: "~/.local/share/cairn", userName: user, localDirectory: local,
                   homeDirectory: "/home/\(user)", timeZone: TimeZone(identifier: "UTC")!)
    }

    /// The app on a fresh ``TestDrive``, after `prepare` changed it (before the app's first look).
    init(width: Int = 100, height: Int = 30, theme: Theme = Harness.theme, local: String? = nil,
         prepare: (TestDrive) throws -> Void = { _ in }) async throws {
        let drive = try TestDrive()
        try prepare(drive)
        store = drive
        terminal = MemoryTerminal(width: width, height: height)
        app = App(session: drive.session, terminal: terminal, theme: theme,
                  context: Self.context(local: local ?? drive.local.path))
        app.start()
        try await settle()
    }

    /// The app on `demo` as `user`.
    init(demo: DemoStore, user: String, width: Int = 100, height: Int = 30) async throws {
        store = demo
        terminal = MemoryTerminal(width: width, height: height)
        app = App(session: try demo.session(user), terminal: terminal, theme: Self.theme,
                  context: Self.context(local: "/home/\(user)", user: user))
        app.start()
        try await settle()
    }

    /// Waits until background work is done and its results are on screen.
    func settle() async throws {
        let settled = await app.settle()
        try #require(settled, "the app did not settle")
    }

    /// Presses keys one after another, letting each one's work finish.
    func press(_ keys: Key...) async throws {
        for key in keys {
            terminal.enqueue(.key(key))
            app.handle(.inputReady)
            try await settle()
        }
    }

    /// Types text, one character at a time.
    func type(_ text: String) async throws {
        for character in text { try await press(.character(character)) }
    }

    /// Dispatches what the journal watcher posts after `drive` was changed elsewhere since
    /// `sequence` (the entries since), and waits for what it reloads.
    func changedElsewhere(_ drive: Drive, since sequence: Int64) async throws {
        app.dispatch(.driveChanged(try drive.latestSequence(), entries: try drive.journal(after: sequence)))
        try await settle()
    }

    /// Handles what background threads post (the journal watcher) until `condition` holds for
    /// the app, or `timeout` passes; returns whether it held.
    func pump(timeout: Duration = .seconds(5), until condition: (App) -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            app.pump()
            if condition(app) { return true }
            usleep(10_000)  // blocks rather than suspends, as `App.settle` does
        }
        return false
    }

    /// Resizes the terminal and lets the app redraw.
    func resize(width: Int, height: Int) async throws {
        terminal.resize(width: width, height: height)
        app.handle(.inputReady)
        try await settle()
    }

    /// The screen as text.
    var screen: String { terminal.snapshot() }

    /// Compares the screen with the golden file `name` (re-record with RECORD_SNAPSHOTS=1).
    func verify(_ name: String, styled: Bool = false, filePath: StaticString = #filePath,
                sourceLocation: SourceLocation = #_sourceLocation) {
        let text = styled ? terminal.styledSnapshot() : terminal.snapshot()
        if let failure = SnapshotFile(name, filePath: filePath).verify(text) {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}
