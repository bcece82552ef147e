import DriveEngine
import Foundation

/// What a user can observe of a drive: every live item, the trash, the store figures and the
/// journal position. Two equal states mean an operation changed nothing.
struct DriveState: Equatable, CustomStringConvertible {
    var items: [String]
    var trash: [String]
    var stats: StoreStats
    var journalSeq: Int64

    var description: String {
        "items: \(items)\ntrash: \(trash)\nblocks: \(stats.blocks), versions: \(stats.versions), journal: \(journalSeq)"
    }
}

extension DriveSession {
    /// The state of this user's drive, walking every folder from the root.
    func state() throws -> DriveState {
        var items: [String] = []
        var folders = ["/"]
        while let folder = folders.popLast() {
            for entry in try list(folder) {
                let item = entry.item
                items.append("\(entry.path) \(item.kind.rawValue) size=\(item.size) versions=\(item.versionCount) head=\(item.headVersionId ?? 0)")
                if item.isFolder { folders.append(entry.path.description) }
            }
        }
        let trash = try trashList().map { "\($0.path) \($0.item.kind.rawValue)" }
        return DriveState(items: items.sorted(), trash: trash, stats: try stats(), journalSeq: try drive.latestSequence())
    }

    /// The version numbers of the file at `path`, newest first.
    func versionNumbers(_ path: String) throws -> [Int] {
        try log(path).map(\.version.number)
    }
}

/// A local file or folder as seen on disk, for comparing trees.
enum LocalNode: Equatable {
    case folder
    case file(Data)
}

/// Every file and folder below `root`, by path relative to it.
func localTree(_ root: String) throws -> [String: LocalNode] {
    var nodes: [String: LocalNode] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: root) else { return nodes }
    while let relative = enumerator.nextObject() as? String {
        let full = root + "/" + relative
        var isFolder: ObjCBool = false
        _ = manager.fileExists(atPath: full, isDirectory: &isFolder)
        nodes[relative.precomposedStringWithCanonicalMapping] = isFolder.boolValue
            ? .folder : .file(try Data(contentsOf: URL(fileURLWithPath: full)))
    }
    return nodes
}
