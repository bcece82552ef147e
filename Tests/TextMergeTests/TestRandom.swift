/// A small deterministic generator (SplitMix64) for test data.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }

    /// `count` lines drawn from the first `alphabet` of a few short ones (repeats likely).
    mutating func lines(count: Int, alphabet: Int) -> [String] {
        (0..<count).map { _ in ["a", "b", "c", "한", "e"][next(alphabet)] }
    }
}
