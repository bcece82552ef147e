import DriveEngine
import Foundation

/// Everything the CLI prints goes through here: results to stdout, errors and progress to stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `value` as JSON (sorted keys, ISO 8601 dates).
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        line(String(decoding: data, as: UTF8.self))
    }

    /// "1.5 MiB".
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// "2026-11-26 15:40" in local time.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

/// A one-line progress display on stderr, only when stderr is a terminal; at most 10 updates/s.
final class ProgressLine: @unchecked Sendable {
    // Guarded by `lock`: the progress callback may come from a transfer's worker thread.
    private let lock = NSLock()
    private var last = Date.distantPast
    private var shown = false
    private let verb: String
    let enabled: Bool

    init(_ verb: String) {
        self.verb = verb
        enabled = isatty(2) == 1
    }

    var options: TransferOptions {
        guard enabled else { return TransferOptions() }
        return TransferOptions(progress: { [self] progress in update(progress) })
    }

    func update(_ p: TransferProgress) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= 0.1 else { return }
            last = now
            var text = "\(verb) \(Output.bytes(p.bytesDone))"
            if p.bytesTotal > 0 { text += " / \(Output.bytes(p.bytesTotal)) (\(Int(Double(p.bytesDone) * 100 / Double(max(p.bytesTotal, 1))))%)" }
            if p.filesTotal > 1 { text += ", \(p.filesDone)/\(p.filesTotal) files" }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            shown = true
        }
    }

    func finish() {
        lock.withLock { if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    }
}
