import Foundation

/// One line of a text as bytes, line ending included: everything up to and including a "\n",
/// or the rest of the text when it does not end with one.
///
/// Lines compare byte for byte: "\r\n" and "\n" endings differ, a last line without a newline
/// differs from the same line with one, and NFC and NFD spellings of a character differ.
/// `Line.join(Line.split(data))` is `data`, byte for byte. Pure value; `Sendable`.
public struct Line: Hashable, Sendable {
    /// The line's bytes, its "\n" (and any "\r" before it) included.
    public let bytes: ArraySlice<UInt8>

    /// A line of the given bytes; they should hold no "\n" but, optionally, a last one.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    /// A line of the UTF-8 bytes of `text`, which should end with its line ending (if any).
    public init(_ text: String) {
        bytes = ArraySlice(text.utf8)
    }

    /// Whether the line ends with "\n" (only the last line of a text may not).
    public var hasNewline: Bool { bytes.last == UInt8(ascii: "\n") }

    /// Whether the line ends with "\r\n".
    public var endsWithCRLF: Bool {
        hasNewline && bytes.count >= 2 && bytes[bytes.endIndex - 2] == UInt8(ascii: "\r")
    }

    /// The line without its final "\n" (a "\r" before it stays), decoded as UTF-8; bytes that
    /// are not valid UTF-8 become U+FFFD.
    public var text: String {
        String(decoding: hasNewline ? bytes.dropLast() : bytes, as: UTF8.self)
    }

    public static func == (a: Line, b: Line) -> Bool {
        a.bytes == b.bytes
    }

    public func hash(into hasher: inout Hasher) {
        // All bytes at once: the synthesized hash would feed them to the hasher one by one.
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension Line {
    /// `data` cut after each "\n"; the last line lacks one when `data` does not end with "\n".
    /// Empty data has no lines.
    public static func split(_ data: Data) -> [Line] {
        split(bytes: [UInt8](data))
    }

    /// The UTF-8 bytes of `text` cut after each "\n".
    public static func split(_ text: String) -> [Line] {
        split(bytes: Array(text.utf8))
    }

    /// The lines' bytes one after the other.
    public static func join(_ lines: some Sequence<Line>) -> Data {
        var out = Data()
        for line in lines { out.append(contentsOf: line.bytes) }
        return out
    }

    static func split(bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            lines.append(Line(bytes[start..<end]))
            start = end
        }
        return lines
    }
}

extension Line: CustomDebugStringConvertible {
    /// The bytes as an escaped string, for test failures: `Line("a\r\n")`.
    public var debugDescription: String {
        "Line(\(String(decoding: bytes, as: UTF8.self).debugDescription))"
    }
}

/// Numbers lines so that equal lines get equal numbers: `LineDiff` compares integers.
struct LineNumbering {
    private var numbers: [Line: Int] = [:]

    /// The number of each line, given in order of first appearance across every call.
    mutating func keys(_ lines: [Line]) -> [Int] {
        lines.map { line in
            if let number = numbers[line] { return number }
            let number = numbers.count
            numbers[line] = number
            return number
        }
    }
}
