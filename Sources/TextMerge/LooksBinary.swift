import Foundation

/// Whether `data` should be handled as bytes rather than text (shown as hex, never merged by
/// lines): its first 8 KiB hold a NUL byte or are not valid UTF-8 (as git and grep decide).
///
/// A multi-byte character cut by the 8 KiB limit still counts as text; one cut by the end of
/// the data does not.
public func looksBinary(_ data: Data) -> Bool {
    let limit = 8 << 10
    // Three bytes more, to finish a character that starts before the limit.
    let prefix = data.prefix(limit + 3)
    return prefix.withUnsafeBytes { raw in
        !UTF8Scan.isText(raw.bindMemory(to: UInt8.self), upTo: limit, truncated: data.count > prefix.count)
    }
}

/// A strict UTF-8 validator (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
enum UTF8Scan {
    /// Whether the characters of `bytes` that start before `limit` are NUL-free valid UTF-8;
    /// with `truncated`, an incomplete character at the very end is allowed (the data goes on).
    static func isText(_ bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int, truncated: Bool) -> Bool {
        var index = 0
        let count = bytes.count
        while index < min(count, limit) {
            let lead = bytes[index]
            if lead == 0 { return false }
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF // allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            for offset in 1..<length {
                guard index + offset < count else { return truncated }
                let byte = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                if byte < min || byte > max { return false }
            }
            index += length
        }
        return true
    }
}
