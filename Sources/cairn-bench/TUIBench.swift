import DriveEngine
import DriveTUI
import Foundation
import ScreenKit

/// The full-screen drive on a folder of many items: time to the first frame of the folder, and
/// key-to-frame times (key handled, state reduced, frame rendered, diff sent to the terminal)
/// for move down, page down and typing a filter. Uses the in-memory terminal at 100×30.
@MainActor
struct TUIBench {
    let root: String
    let items: Int

    func run() async throws -> [(String, String)] {
        var rows: [(String, String)] = []
        let folder = root + "/many"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in 0..<items {
            // Names sort like real ones: a few hundred prefixes, numbers, some Korean.
            let name = i % 7 == 0 ? "보고서-\(i).txt" : "file-\(i % 500)-\(i).log"
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: nil)
        }
        let drive = try Drive.open(at: URL(fileURLWithPath: root + "/tui-store"))
        let session = DriveSession(drive: drive, user: try drive.user(named: "bench", createIfMissing: true))
        let setup = ContinuousClock.now
        _ = try session.put(local: folder, to: "/many")
        rows.append(("tui: put \(items) empty files", "\(Bench.seconds(since: setup)) s"))

        let listing = ContinuousClock.now
        let count = try session.list("/many").count
        rows.append(("engine: list \(count) items", String(format: "%.0f ms", Bench.milliseconds(since: listing))))

        let terminal = MemoryTerminal(width: 100, height: 30)
        let theme = try ThemeLoader(environment: [:]).theme(named: "dark")
        let app = App(session: session, terminal: terminal, theme: theme,
                      context: AppContext(storeName: "bench", userName: "bench", localDirectory: root))
        app.start()
        _ = await app.settle()

        // Open the folder (the only item at the top): Enter → its first screen on the terminal
        // (the first entries are read before the rest) → all of it listed.
        let open = ContinuousClock.now
        app.handle(.key(.enter))
        while !terminal.snapshot().contains("file-") {
            guard Bench.milliseconds(since: open) < 60_000 else {
                throw BenchFailure(description: "the folder did not open:\n\(terminal.snapshot())")
            }
            if app.pump() == 0 { usleep(100) }
        }
        rows.append(("tui: first frame of \(items) items", String(format: "%.0f ms", Bench.milliseconds(since: open))))
        _ = await app.settle(timeout: .seconds(60))
        rows.append(("tui: all \(items) items listed", String(format: "%.0f ms", Bench.milliseconds(since: open))))
        guard terminal.snapshot().contains("\(items) items") else {
            throw BenchFailure(description: "the whole folder was not listed:\n\(terminal.snapshot())")
        }

        rows.append(("tui: move down (key to frame)", percentiles(app, keys: Array(repeating: .down, count: 2000))))
        rows.append(("tui: page down (key to frame)", percentiles(app, keys: Array(repeating: .pageDown, count: 500))))
        app.handle(.key(.home))
        app.renderIfNeeded()
        app.handle(.key(.character("/")))
        app.renderIfNeeded()
        let typed: [Key] = "file-42".map { .character($0) } + [.backspace, .backspace, .character("3")]
        rows.append(("tui: filter keystroke (key to frame)", percentiles(app, keys: typed)))
        return rows
    }

    /// p50 and p99 of handle + render for each key.
    func percentiles(_ app: App, keys: [Key]) -> String {
        var samples: [Double] = []
        for key in keys {
            let start = ContinuousClock.now
            app.handle(.key(key))
            app.renderIfNeeded()
            samples.append(Bench.milliseconds(since: start))
        }
        samples.sort()
        let p50 = samples[samples.count / 2]
        let p99 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]
        return String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d keys)", p50, p99, samples.last ?? 0, samples.count)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}
