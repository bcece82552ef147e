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
    /// Deflate level for new blocks (0 = store raw); existing stores keep theirs.
    public var compressionLevel: Int
    /// The level of a new store. On the `cairn-bench peers` text, one core: zlib level 1 makes
    /// 3.18× at 105 MB/s; libdeflate level 1 3.62× at 192 MB/s, level 2 3.77× at 133 MB/s,
    /// level 4 3.87× at 109 MB/s, level 6 3.98× at 71 MB/s. A 35,000-file tree took 8 % more
    /// CPU to put at level 2 than at 1 for 0.7 % less space: ingest speed wins, level 1.
    public static let defaultCompressionLevel = 1
    public var storeID: String

    public static func fresh(chunker: ChunkerParameters = .standard) -> StoreSettings {
        StoreSettings(format: formatVersion, chunker: chunker, versionCap: 100, compressionLevel: defaultCompressionLevel,
                      storeID: UUID().uuidString.lowercased())
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
            compressionLevel: map["compressionLevel"].flatMap(Int.init) ?? 1,
            storeID: map["storeID"] ?? "")
    }

    func save(_ db: Database) throws {
        let values: [(String, String)] = [
            ("format", String(format)), ("chunkMin", String(chunker.minSize)),
            ("chunkAvg", String(chunker.averageSize)), ("chunkMax", String(chunker.maxSize)),
            ("versionCap", String(versionCap)), ("compressionLevel", String(compressionLevel)),
            ("storeID", storeID),
        ]
        for (key, value) in values {
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }
}
