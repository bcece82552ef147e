import Blocks
import Foundation
import GRDB

/// Per-store settings, recorded in the `setting` table when the store is created.
///
/// The chunker parameters and the format version are fixed at creation: changing them would
/// change every block id. The version cap and the compression level may change later.
public struct StoreSettings: Sendable, Equatable {
    public static let formatVersion = 1

    public var format: Int
    public var chunker: ChunkerParameters
    /// Unpinned versions kept per file; older unpinned ones are dropped (Drive keeps 100).
    public var versionCap: Int
    /// The codec for new blocks; a store made before zstd has none recorded and stays deflate.
    /// Blocks keep the codec they were written with, so changing it later is safe.
    public var compression: BlockCompression
    /// The level of `compression` for new blocks (0 = store raw); existing stores keep theirs.
    public var compressionLevel: Int
    /// The deflate level of a new store where zstd is not at hand. On the `cairn-bench peers`
    /// text, one core: zlib level 1 makes 3.18× at 105 MB/s; libdeflate level 1 3.62× at
    /// 192 MB/s, level 2 3.77× at 133 MB/s, level 4 3.87× at 109 MB/s, level 6 3.98× at 71 MB/s.
    /// A 35,000-file tree took 8 % more CPU to put at level 2 than at 1 for 0.7 % less space:
    /// ingest speed wins, level 1.
    public static let defaultDeflateLevel = 1
    /// The zstd level of a new store. Putting the `cairn-bench peers` parts (release, one run
    /// each): the 512 MiB text at level 1 took 1.58 s for 117 MiB, at level 3 1.83 s for 98 MiB
    /// (libdeflate level 1: 2.34 s, 142 MiB); the 35,000-file tree 5.77 s and 5.94 s for 119 and
    /// 117 MiB of packs. Later (release, alternated, 3 runs each): the text at level 2 took
    /// 1.31 / 1.21 / 1.24 s (user 2.0–2.1) against level 3's 1.44 / 1.40 / 1.43 s (user 2.4),
    /// the tree the same at both, and text and tree together made 221 MiB of packs against 214
    /// (`zstd -b` on the text in 1 MiB blocks: level 1 4.40× at 429 MB/s, 2 4.92× at 400 MB/s, 3
    /// 5.15× at 314 MB/s). Level 2: 2 % more space for 13 % less text ingest time.
    public static let defaultZstdLevel = 2

    /// The level a new store uses with `compression`.
    public static func defaultLevel(_ compression: BlockCompression) -> Int {
        switch compression { case .zstd: defaultZstdLevel; case .deflate: defaultDeflateLevel }
    }
    public var storeID: String

    public static func fresh(chunker: ChunkerParameters = .standard) -> StoreSettings {
        StoreSettings(format: formatVersion, chunker: chunker, versionCap: 100, compression: .preferred,
                      compressionLevel: defaultLevel(.preferred), storeID: UUID().uuidString.lowercased())
    }

    static func load(_ db: Database) throws -> StoreSettings? {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM setting")
        var map: [String: String] = [:]
        for row in rows { map[row["key"]] = row["value"] }
        guard let format = map["format"].flatMap(Int.init),
              let min = map["chunkMin"].flatMap(Int.init),
              let avg = map["chunkAvg"].flatMap(Int.init),
              let max = map["chunkMax"].flatMap(Int.init) else { return nil }
        return StoreSettings(
            format: format,
            chunker: ChunkerParameters(minSize: min, averageSize: avg, maxSize: max),
            versionCap: map["versionCap"].flatMap(Int.init) ?? 100,
            compression: map["compression"].flatMap(BlockCompression.init(rawValue:)) ?? .deflate,
            compressionLevel: map["compressionLevel"].flatMap(Int.init) ?? 1,
            storeID: map["storeID"] ?? "")
    }

    func save(_ db: Database) throws {
        let values: [(String, String)] = [
            ("format", String(format)), ("chunkMin", String(chunker.minSize)),
            ("chunkAvg", String(chunker.averageSize)), ("chunkMax", String(chunker.maxSize)),
            ("versionCap", String(versionCap)), ("compression", compression.rawValue),
            ("compressionLevel", String(compressionLevel)),
            ("storeID", storeID),
        ]
        for (key, value) in values {
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }
}
