import Blocks
import DriveEngine
import Foundation
import Testing

/// Device folders for sync tests: each a real folder below the scratch root, bound to the drive.
extension Scratch {
    /// Adds device `name` for `session` (alice's by default) with a fresh folder; returns the folder.
    @discardableResult
    func device(_ name: String, path: String = "/", session: DriveSession? = nil) throws -> String {
        let folder = root.appendingPathComponent("dev-\(name)").path
        try (session ?? self.session).addDevice(name: name, folder: folder, path: path)
        return folder
    }

    /// Syncs device `name` as `session` (alice's by default).
    @discardableResult
    func sync(_ name: String, session: DriveSession? = nil) throws -> SyncReport {
        try (session ?? self.session).sync(device: name)
    }

    /// Syncs every device named, in order, `rounds` times: enough for all to see every change.
    func syncAll(_ names: [String], rounds: Int = 2) throws {
        for _ in 0..<rounds { for name in names { try sync(name) } }
    }
}

/// What a local folder holds, as "path" → "F:" + content ("H:" + SHA-256 for large or binary
/// content), "L:" + link target, or "D" for a folder.
/// Temporary files and `.cairnignore` are left out, as a sync leaves them out.
func folderContents(_ root: String, ignoring rules: IgnoreRules = IgnoreRules()) throws -> [String: String] {
    var out: [String: String] = [:]
    let manager = FileManager.default
    func walk(_ rel: String) throws {
        let dir = rel.isEmpty ? root : root + "/" + rel
        for name in try manager.contentsOfDirectory(atPath: dir).sorted() {
            let path = dir + "/" + name
            let key = rel.isEmpty ? name : rel + "/" + name
            let components = key.split(separator: "/").map(String.init)
            let attributes = try manager.attributesOfItem(atPath: path)
            let type = attributes[.type] as? FileAttributeType
            if rules.ignores(components, isFolder: type == .typeDirectory) { continue }
            switch type {
            case .typeDirectory?:
                out[key] = "D"
                try walk(key)
            case .typeSymbolicLink?:
                out[key] = "L:" + (try manager.destinationOfSymbolicLink(atPath: path))
            default:
                // Small text as itself (readable in a failure); anything else by its SHA-256.
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                if data.count <= 4096, let text = String(data: data, encoding: .utf8) {
                    out[key] = "F:" + text
                } else {
                    out[key] = "H:" + BlockID(hashing: data).description
                }
            }
        }
    }
    try walk("")
    return out
}

/// Expects every folder to hold the same as the first, and the drive (got afresh) the same too.
func expectConverged(_ scratch: Scratch, _ folders: [String], drivePath: String = "/",
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let first = try folderContents(folders[0])
    for folder in folders.dropFirst() {
        let other = try folderContents(folder)
        #expect(other == first, "\(folder) differs from \(folders[0]): \(diffKeys(first, other))", sourceLocation: sourceLocation)
    }
    let fresh = scratch.root.appendingPathComponent("fresh-\(UUID().uuidString)").path
    try scratch.session.get(drivePath, to: fresh)
    let drive = try folderContents(fresh)
    #expect(drive == first, "the drive differs from \(folders[0]): \(diffKeys(first, drive))", sourceLocation: sourceLocation)
    try FileManager.default.removeItem(atPath: fresh)
}

func diffKeys(_ a: [String: String], _ b: [String: String]) -> String {
    let keys = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    return keys.prefix(8).map { "\($0): \(a[$0].map { String($0.prefix(40)) } ?? "-") vs \(b[$0].map { String($0.prefix(40)) } ?? "-")" }
        .joined(separator: "; ")
}

/// Writes text to `path`, making its folders.
func writeText(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func readText(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}
