import Foundation

/// The start of a binary file the way `hexdump -C` shows it: offset, 16 bytes in hex, and the
/// printable ASCII ones, plus the total size.
///
/// Pure value; `Sendable`.
public struct HexSummary: Sendable, Equatable {
    /// Sixteen bytes (fewer in the last row) and where they start.
    public struct Row: Sendable, Equatable {
        /// Offset of the first byte in the data.
        public var offset: Int
        public var bytes: [UInt8]

        /// A row of up to 16 `bytes` starting at `offset`.
        public init(offset: Int, bytes: [UInt8]) {
            self.offset = offset
            self.bytes = bytes
        }

        /// `00000010  0d 0a 1a 0a 00 00 00 0d  49 48 44 52 00 00 00 01  |........IHDR....|`
        public var text: String {
            var hex = ""
            for column in 0..<16 {
                if column == 8 { hex += " " }
                hex += column < bytes.count ? " " + Self.hexByte(bytes[column]) : "   "
            }
            let ascii = String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
            let position = String(offset, radix: 16)
            return String(repeating: "0", count: max(0, 8 - position.count)) + position + " " + hex + "  |" + ascii + "|"
        }

        static func hexByte(_ byte: UInt8) -> String {
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
    }

    /// The rows shown, from offset 0.
    public var rows: [Row]
    /// Size of the whole data in bytes.
    public var size: Int

    /// The first `maxRows` rows of `data` (16 bytes each).
    public init(_ data: Data, maxRows: Int = 32) {
        size = data.count
        rows = []
        var offset = 0
        let bytes = [UInt8](data.prefix(max(0, maxRows) * 16))
        while offset < bytes.count {
            rows.append(Row(offset: offset, bytes: Array(bytes[offset..<min(offset + 16, bytes.count)])))
            offset += 16
        }
    }

    /// Bytes not shown in `rows`.
    public var hiddenBytes: Int { size - rows.reduce(0) { $0 + $1.bytes.count } }

    /// The rows as text, then a last line with the size (and what is not shown).
    public func render() -> String {
        var out = rows.map { $0.text + "\n" }.joined()
        let total = "\(size) " + (size == 1 ? "byte" : "bytes")
        out += hiddenBytes > 0 ? "… \(hiddenBytes) more bytes not shown (\(total) in all)\n" : total + "\n"
        return out
    }
}
