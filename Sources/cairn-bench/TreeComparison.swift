#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A restored tree checked against the original: regular files byte for byte, symbolic links
/// by the bytes `readlink` gives (never followed), each restored as the same kind of entry.
struct TreeComparison {
    var files = 0
    var links = 0
    /// Relative paths of regular files or links missing, of another kind, or with other bytes
    /// or another target.
    var mismatched: [String] = []

    static func compare(expected: String, actual: String) throws -> TreeComparison {
        var result = TreeComparison()
        guard let walker = FileManager.default.enumerator(atPath: expected) else { throw BenchFailure("cannot read \(expected)") }
        while let entry = walker.nextObject() as? String {
            let want = expected + "/" + entry
            let got = actual + "/" + entry
            switch kind(want) {
            case S_IFREG:
                if kind(got) == S_IFREG, try sameBytes(want, got) { result.files += 1 } else { result.mismatched.append(entry) }
            case S_IFLNK:
                // Bytes, not Foundation's decoded path: a target that is not UTF-8 must not
                // compare equal to another one that decodes alike.
                if kind(got) == S_IFLNK, let target = linkTarget(want), linkTarget(got) == target {
                    result.links += 1
                } else {
                    result.mismatched.append(entry)
                }
            default:
                continue
            }
        }
        return result
    }

    /// The file type bits of `path` itself (`lstat`: a link is a link), or nil when nothing is there.
    static func kind(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : nil
    }

    /// The bytes stored in the link at `path`, or nil when it is not a link or cannot be read.
    static func linkTarget(_ path: String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count) }
        }
        guard count >= 0, count < buffer.count else { return nil }
        return Array(buffer[..<count])
    }

    /// Whether two regular files hold the same bytes (read 8 MiB at a time).
    static func sameBytes(_ a: String, _ b: String) throws -> Bool {
        guard let left = FileHandle(forReadingAtPath: a), let right = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? left.close(); try? right.close() }
        while true {
            let x = try left.read(upToCount: 8 << 20) ?? Data()
            let y = try right.read(upToCount: 8 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }
}
