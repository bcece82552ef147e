import Blocks

/// Makes fuzz inputs without libFuzzer: fresh random bytes now and then, otherwise a seed input
/// changed by a few random mutations (bit flips, boundary values, dictionary words, cut,
/// duplicated or spliced ranges). Deterministic for a given seed.
struct FuzzMutator {
    /// Inputs never grow past this.
    static let maxLength = 64 << 10
    /// Little-endian 32-bit values at the edges of the parsers' bounds.
    static let boundaries: [UInt32] = [0, 1, 7, 8, 35, 36, 0x7F, 0x80, 0xFF, 0x100, 0x1000, 0x1001, 0xFFFF, 0x1_0000, 0x1_0001,
                                       0x10_FFFF, 0x11_0000, 0xD800, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF]

    private var generator: SeededGenerator
    private let seeds: [[UInt8]]
    private let dictionary: [[UInt8]]

    init(seed: UInt64, seeds: [[UInt8]], dictionary: [[UInt8]]) {
        generator = SeededGenerator(seed: seed)
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.dictionary = dictionary.isEmpty ? [[0]] : dictionary
    }

    /// The next input.
    mutating func next() -> [UInt8] {
        if below(10) == 0 { return generator.bytes(below(256)) }
        var input = seeds[below(seeds.count)]
        for _ in 0...below(4) { mutate(&input) }
        return input.count > Self.maxLength ? Array(input.prefix(Self.maxLength)) : input
    }

    private mutating func below(_ bound: Int) -> Int {
        Int(generator.next() % UInt64(max(bound, 1)))
    }

    private mutating func mutate(_ input: inout [UInt8]) {
        let at = below(input.count + 1)
        switch below(9) {
        case 0 where !input.isEmpty: // flip a bit
            input[min(at, input.count - 1)] ^= 1 << UInt8(below(8))
        case 1 where !input.isEmpty: // an interesting byte
            input[min(at, input.count - 1)] = [0, 0x7F, 0x80, 0xFF, 0x1B, 0x27, 0x22, 0x5C, 0x0A, 0x20][below(10)]
        case 2: // a boundary value
            let value = Self.boundaries[below(Self.boundaries.count)]
            let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32($0 * 8)) }
            overwrite(&input, at: at, with: bytes)
        case 3: // a dictionary word, inserted
            input.insert(contentsOf: dictionary[below(dictionary.count)], at: at)
        case 4: // a dictionary word, over what is there
            overwrite(&input, at: at, with: dictionary[below(dictionary.count)])
        case 5 where !input.isEmpty: // cut a range
            let end = min(input.count, at + 1 + below(16))
            input.removeSubrange(min(at, input.count - 1)..<end)
        case 6 where !input.isEmpty: // duplicate a range
            let start = min(at, input.count - 1)
            let range = start..<min(input.count, start + 1 + below(64))
            input.insert(contentsOf: input[range], at: below(input.count + 1))
        case 7: // splice in part of another seed
            let other = seeds[below(seeds.count)]
            guard !other.isEmpty else { return }
            let start = below(other.count)
            input.insert(contentsOf: other[start..<min(other.count, start + 1 + below(256))], at: at)
        default: // truncate or insert random bytes
            if below(2) == 0 { input.removeLast(input.count - at) } else { input.insert(contentsOf: generator.bytes(1 + below(8)), at: at) }
        }
    }

    private func overwrite(_ input: inout [UInt8], at offset: Int, with bytes: [UInt8]) {
        if input.count < offset + bytes.count { input += [UInt8](repeating: 0, count: offset + bytes.count - input.count) }
        input.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
    }
}
