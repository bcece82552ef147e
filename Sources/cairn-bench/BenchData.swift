import Blocks
import Foundation

/// Deterministic benchmark data: the same bytes on every run and machine.
enum BenchData {
    /// Writes `size` pseudo-random (incompressible) bytes to `path`.
    static func writeRandom(_ path: String, size: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        try write(path, size: size) { count in generator.bytes(count) }
    }

    /// Writes `size` bytes of English-like text (zlib level 1 gets ~3–4×) to `path`.
    static func writeText(_ path: String, size: Int, seed: UInt64) throws {
        var text = TextGenerator(seed: seed)
        try write(path, size: size) { count in text.bytes(count) }
    }

    private static func write(_ path: String, size: Int, next: (Int) -> [UInt8]) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var written = 0
        while written < size {
            let count = min(8 << 20, size - written)
            handle.write(Data(next(count)))
            written += count
        }
    }

    /// A tree of `count` small files (0.5–16 KiB of text, some identical) in nested folders.
    static func writeTree(_ root: String, count: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var text = TextGenerator(seed: seed ^ 0xABCD)
        let fm = FileManager.default
        for i in 0..<count {
            let dir = "\(root)/d\(i / 1000)/s\((i / 50) % 20)"
            if i % 50 == 0 { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let size = 512 + Int(generator.next() % (16 << 10))
            // Every 20th file is a copy of a common file: dedup must store it once.
            let bytes = i % 20 == 0 ? Array("common header shared by many files\n".utf8) : text.bytes(size)
            _ = fm.createFile(atPath: "\(dir)/file-\(i).txt", contents: Data(bytes))
        }
    }
}

/// Text like logs or source code: lines drawn Zipf-like from a pool of 4,096 lines of words,
/// half of them with one word changed, each ending in a number. zlib level 1 gets ~3.3× on it
/// at ~100 MiB/s on one core (random word salad would get ~2×, real prose 3–4×).
struct TextGenerator {
    private var generator: SeededGenerator
    private let words: [[UInt8]]
    private let lines: [[Int]]

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        var vocabulary = SeededGenerator(seed: 12345)
        let letters = Array("etaoinshrdlucmfwypvbgkjqxz".utf8)
        words = (0..<8192).map { _ in
            let length = 2 + Int(vocabulary.next() % 8)
            return (0..<length).map { _ in letters[Int(min(vocabulary.next() % 26, vocabulary.next() % 26))] }
        }
        var pool: [[Int]] = []
        for _ in 0..<4096 {
            let length = 4 + Int(vocabulary.next() % 12)
            pool.append((0..<length).map { _ in Self.zipf(&vocabulary, 8192) })
        }
        lines = pool
    }

    /// A rank in 0..<n, drawn as n^u − 1 for uniform u: frequent heads, long tails.
    static func zipf(_ generator: inout SeededGenerator, _ n: Int) -> Int {
        let u = Double(generator.next() & 0xFFFFF) / Double(0x100000)
        return min(n - 1, max(0, Int(pow(Double(n), u)) - 1))
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 256)
        while out.count < count {
            var line = lines[Self.zipf(&generator, lines.count)]
            let r = generator.next()
            if r & 1 == 0 { line[Int(r >> 8) % line.count] = Self.zipf(&generator, words.count) }
            for (i, word) in line.enumerated() {
                if i > 0 { out.append(UInt8(ascii: " ")) }
                out.append(contentsOf: words[word])
            }
            out.append(contentsOf: Array(" \((r >> 32) % 1000)\n".utf8))
        }
        return Array(out.prefix(count))
    }
}
