import DriveEngine
import Foundation
import Synchronization

/// Everything the CLI prints goes through here: results to stdout, errors and progress to stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// One line on stderr; control characters in it (a name with a newline or ESC in an error
    /// message) are escaped, so an error is always exactly one line and never drives the terminal.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((escaped(text) + "\n").utf8))
    }

    /// `text` safe to print in human-readable output: control characters (C0, DEL, C1) shown
    /// escaped — `\n`, `\t`, `\r`, `\e` for ESC, `\xHH` for the other C0 and DEL, `\u{HH}` for C1 —
    /// so a name cannot split a row or send escape sequences to the terminal. Everything else
    /// (Hangul, emoji, backslashes) is unchanged. Every text listing prints names through this;
    /// `--json` output is exact instead.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x80...0x9F: out += "\\u{" + hex(scalar.value) + "}"
            default: out += "\\x" + hex(scalar.value)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    /// Prints `value` as JSON (sorted keys, ISO 8601 dates).
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        line(String(decoding: data, as: UTF8.self))
    }

    /// Prints `value` as JSON on one line (a stream of objects, one per line).
    static func jsonLine<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
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
///
/// Thread-safe: the progress callback may come from a transfer's worker thread, so when the line
/// was last drawn and whether it shows are a `Mutex`.
final class ProgressLine: Sendable {
    private let state = Mutex((last: Date.distantPast, shown: false))
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
        let verb = self.verb
        state.withLock { state in
            let now = Date()
            guard now.timeIntervalSince(state.last) >= 0.1 else { return }
            state.last = now
            var text = "\(verb) \(Output.bytes(p.bytesDone))"
            if p.bytesTotal > 0 { text += " / \(Output.bytes(p.bytesTotal)) (\(Int(Double(p.bytesDone) * 100 / Double(max(p.bytesTotal, 1))))%)" }
            if p.filesTotal > 1 { text += ", \(p.filesDone)/\(p.filesTotal) files" }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            state.shown = true
        }
    }

    func finish() {
        state.withLock { if $0.shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    }
}

/// An optional JSON value that is written as `null` when absent, so every documented key is
/// always there (synthesized `Encodable` leaves nil optionals out).
@propertyWrapper
struct NullWhenAbsent<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
