#if canImport(Glibc)
import Glibc
#endif
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

/// A local file, folder or symbolic link as seen on disk (links not followed), for comparing trees.
enum LocalNode: Equatable {
    case folder
    case file(Data)
    /// The bytes stored in the link.
    case link([UInt8])
}

/// Every file, folder and link below `root`, by path relative to it; links are not followed.
func localTree(_ root: String) throws -> [String: LocalNode] {
    var nodes: [String: LocalNode] = [:]
    var pending = [""]
    while let folder = pending.popLast() {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? root : root + "/" + folder) {
            let relative = folder.isEmpty ? name : folder + "/" + name
            let full = root + "/" + relative
            let key = relative.precomposedStringWithCanonicalMapping
            if let target = localLinkTarget(full) {
                nodes[key] = .link(target)
            } else if localIsFolder(full) {
                nodes[key] = .folder
                pending.append(relative)
            } else {
                nodes[key] = .file(try Data(contentsOf: URL(fileURLWithPath: full)))
            }
        }
    }
    return nodes
}

/// The bytes stored in the symbolic link at `path`; nil when it is not a link.
func localLinkTarget(_ path: String) -> [UInt8]? {
    var st = stat()
    guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return nil }
    var buffer = [UInt8](repeating: 0, count: 4097)
    let count = buffer.withUnsafeMutableBufferPointer { raw in
        raw.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count) }
    }
    return count < 0 ? nil : Array(buffer[..<count])
}

/// Whether `path` itself (not what a link there points to) is a folder.
func localIsFolder(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
}
