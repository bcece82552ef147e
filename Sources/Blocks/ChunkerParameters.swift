/// Sizes that steer content-defined chunking; fixed per store when it is created.
public struct ChunkerParameters: Sendable, Equatable, Codable {
    public var minSize: Int
    public var averageSize: Int
    public var maxSize: Int

    /// Cairn's defaults: min 256 KiB, average 1 MiB, max 4 MiB.
    public static let standard = ChunkerParameters(minSize: 256 << 10, averageSize: 1 << 20, maxSize: 4 << 20)

    public init(minSize: Int, averageSize: Int, maxSize: Int) {
        self.minSize = minSize
        self.averageSize = averageSize
        self.maxSize = maxSize
    }

    /// Checks the invariants FastCDC needs: 64 ≤ min ≤ avg ≤ max, average a power of two.
    public func validate() -> String? {
        guard minSize >= 64 else { return "minimum block size must be at least 64 bytes" }
        guard minSize <= averageSize, averageSize <= maxSize else {
            return "block sizes must satisfy min ≤ average ≤ max"
        }
        guard averageSize.nonzeroBitCount == 1 else { return "average block size must be a power of two" }
        guard maxSize <= BlockCodec.largestRawLength else { return "maximum block size must be at most 64 MiB" }
        return nil
    }
}
