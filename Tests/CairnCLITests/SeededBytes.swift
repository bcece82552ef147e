import Foundation

/// SplitMix64: a small seeded generator, so test data and kill moments repeat run after run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Deterministic local test data and byte-for-byte comparison of local files.
enum SeededBytes {
    /// `count` pseudo-random (incompressible) bytes from `seed`.
    static func data(count: Int, seed: UInt64) -> Data {
        var generator = SplitMix64(seed: seed)
        var data = Data(count: count)
        data.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices { words[index] = generator.next() }
            for index in (words.count * 8)..<count { raw[index] = UInt8(truncatingIfNeeded: generator.next()) }
        }
        return data
    }

    /// Writes `count` pseudo-random bytes from `seed` to `url`, 8 MiB at a time.
    static func write(to url: URL, count: Int, seed: UInt64) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        var part: UInt64 = 0
        while written < count {
            let size = min(8 << 20, count - written)
            try handle.write(contentsOf: data(count: size, seed: seed &+ part &* 0x1_0000_0001))
            written += size
            part += 1
        }
    }

    /// Whether two local files hold the same bytes, read 8 MiB at a time.
    static func sameContents(_ a: URL, _ b: URL) throws -> Bool {
        let left = try FileHandle(forReadingFrom: a)
        let right = try FileHandle(forReadingFrom: b)
        defer {
            try? left.close()
            try? right.close()
        }
        while true {
            let x = try left.read(upToCount: 8 << 20) ?? Data()
            let y = try right.read(upToCount: 8 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }
}
