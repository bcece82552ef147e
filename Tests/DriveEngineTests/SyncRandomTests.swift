import Blocks
import DriveEngine
import Foundation
import GRDB
import Testing

/// Random operation sequences on three devices with syncs in random order: once every device has
/// synced twice more, all folders and the drive agree, and every file content a device held when
/// it synced is a version on the drive (head, older version, conflict or trash): nothing lost.
/// The seed is printed with every failure; `CAIRN_SYNC_SEED` replays one.
@Suite("Sync, randomized")
struct SyncRandomTests {
    static var seeds: [UInt64] {
        if let seed = ProcessInfo.processInfo.environment["CAIRN_SYNC_SEED"].flatMap(UInt64.init) { return [seed] }
        return [1, 2, 3, 4, 5, 6]
    }

    @Test(arguments: seeds)
    func randomOperationsOnThreeDevicesConverge(seed: UInt64) throws {
        let scratch = try Scratch()
        let names = ["a", "b", "c"]
        var folders: [String: String] = [:]
        for name in names { folders[name] = try scratch.device(name) }
        var random = SeededGenerator(seed: seed)
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let fileNames = ["a.txt", "b.txt", "노트.md", "c", "empty"]
        let folderNames = ["", "x", "x/y", "문서"]
        var contents = Set<Data>() // every content a device held when it synced
        var links = Set<String>()
        var written = 0

        func files(in folder: String) throws -> [String] {
            try folderContents(folder).filter { $0.value.hasPrefix("F:") || $0.value.hasPrefix("L:") }.map(\.key).sorted()
        }

        for step in 0..<120 {
            let device = pick(names)
            let root = folders[device]!
            switch random.next() % 10 {
            case 0, 1, 2: // create or overwrite a file
                let path = [pick(folderNames), pick(fileNames)].filter { !$0.isEmpty }.joined(separator: "/")
                written += 1
                let text = path.hasSuffix("empty") ? "" : "seed \(seed) step \(step) on \(device): \(written)\n"
                try? FileManager.default.removeItem(atPath: root + "/" + path) // a link there is replaced, not written through
                try? writeText(root + "/" + path, text)
            case 3: // edit an existing file in place
                if let path = try files(in: root).filter({ (try? folderContents(root)[$0])??.hasPrefix("F:") == true }).randomElement(using: &random) {
                    written += 1
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/" + path))
                    handle.seekToEndOfFile()
                    handle.write(Data("+\(written)".utf8))
                    try handle.close()
                }
            case 4: // delete a file
                if let path = try files(in: root).randomElement(using: &random) { try FileManager.default.removeItem(atPath: root + "/" + path) }
            case 5: // rename or move a file
                if let path = try files(in: root).randomElement(using: &random) {
                    let dest = [pick(folderNames), "moved-" + pick(fileNames)].filter { !$0.isEmpty }.joined(separator: "/")
                    try? FileManager.default.createDirectory(atPath: ((root + "/" + dest) as NSString).deletingLastPathComponent,
                                                             withIntermediateDirectories: true)
                    if !FileManager.default.fileExists(atPath: root + "/" + dest) {
                        rename(root + "/" + path, root + "/" + dest)
                    }
                }
            case 6: // a symbolic link
                let path = [pick(folderNames), "link"].filter { !$0.isEmpty }.joined(separator: "/")
                try? FileManager.default.createDirectory(atPath: ((root + "/" + path) as NSString).deletingLastPathComponent,
                                                         withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: root + "/" + path)
                try? FileManager.default.createSymbolicLink(atPath: root + "/" + path, withDestinationPath: pick(fileNames))
            default: // sync this device, noting what it holds
                for (_, value) in try folderContents(root) {
                    if value.hasPrefix("F:") { contents.insert(Data(value.dropFirst(2).utf8)) }
                    if value.hasPrefix("L:") { links.insert(String(value.dropFirst(2))) }
                }
                do {
                    try scratch.sync(device)
                } catch {
                    Issue.record("seed \(seed) step \(step): sync \(device) failed: \(error)")
                    return
                }
            }
        }
        for _ in 0..<2 {
            for name in names {
                for (_, value) in try folderContents(folders[name]!) {
                    if value.hasPrefix("F:") { contents.insert(Data(value.dropFirst(2).utf8)) }
                    if value.hasPrefix("L:") { links.insert(String(value.dropFirst(2))) }
                }
                try scratch.sync(name)
            }
        }
        try expectConverged(scratch, names.map { folders[$0]! })
        let (digests, targets) = try scratch.query { db in
            (Set(try Data.fetchAll(db, sql: "SELECT digest FROM version")),
             Set(try String.fetchAll(db, sql: "SELECT linkTarget FROM version WHERE linkTarget IS NOT NULL")))
        }
        for content in contents {
            // Every test file is smaller than the smallest block: one block, or none when empty.
            let digest = fileDigest(of: content.isEmpty ? [] : [BlockID(hashing: content)]).bytes
            #expect(digests.contains(digest), "seed \(seed): lost \(String(decoding: content, as: UTF8.self))")
        }
        #expect(links.isSubset(of: targets), "seed \(seed): lost links \(links.subtracting(targets))")
    }
}
