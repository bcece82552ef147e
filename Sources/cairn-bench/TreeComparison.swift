#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A restored tree checked against the original: regular files byte for byte, symbolic links
/// by their target text.
struct TreeComparison {
    var files = 0
    var links = 0
    var missingLinks = 0
    /// Relative paths of regular files missing or with other bytes.
    var mismatched: [String] = []

    static func compare(expected: String, actual: String) throws -> TreeComparison {
        var result = TreeComparison()
        guard let walker = FileManager.default.enumerator(atPath: expected) else { throw BenchFailure("cannot read \(expected)") }
        while let entry = walker.nextObject() as? String {
            var st = stat()
            guard lstat(expected + "/" + entry, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if try sameBytes(expected + "/" + entry, actual + "/" + entry) { result.files += 1 } else { result.mismatched.append(entry) }
            case S_IFLNK:
                let want = try? FileManager.default.destinationOfSymbolicLink(atPath: expected + "/" + entry)
                let got = try? FileManager.default.destinationOfSymbolicLink(atPath: actual + "/" + entry)
                if got != nil && got == want { result.links += 1 } else { result.missingLinks += 1 }
            default:
                continue
            }
        }
        return result
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
