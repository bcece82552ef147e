#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Crash safety of a folder `get` into a path where nothing is yet (written in a hidden staging
/// folder and renamed into place at the end): `kill -9` at random moments leaves the target
/// either absent or whole, every file and link as stored, and nothing else but the hidden
/// `.NAME.cairn-XXXX.tmp` folder beside it. A later `get` to the same path works.
@Suite struct StagedGetCrashSafetyTests {
    static let kills = 5

    /// Every file and link below `url` by relative path: a file's content, or a link's target
    /// prefixed with "link:"; folders are implied by their entries.
    static func contents(_ url: URL) throws -> [String: Data] {
        var state: [String: Data] = [:]
        for relative in FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String] ?? [] {
            let path = url.path + "/" + relative
            if let target = LinkCrashSafetyTests.linkTarget(path) {
                state[relative] = Data(("link:" + target).utf8)
                continue
            }
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            if !isFolder.boolValue { state[relative] = try Data(contentsOf: URL(fileURLWithPath: path)) }
        }
        return state
    }

    @Test(.timeLimit(.minutes(5)))
    func killedGetsOfANewFolderLeaveItWholeOrAbsent() throws {
        let drive = try TemporaryDrive()
        var random = SplitMix64(seed: 20_261_207)
        for index in 0..<1_500 {
            let size = Int(random.next() % 6_000)
            try drive.write("tree/d\(index % 12)/폴더 \(index % 3)/f\(index).txt", String(repeating: "\(index) ", count: size / 5 + 1))
        }
        for index in 0..<30 {
            try FileManager.default.createSymbolicLink(atPath: drive.local("tree/d\(index % 12)/l\(index)").path,
                                                       withDestinationPath: "../d\(index % 7)/f\(index).txt")
        }
        let expected = try Self.contents(drive.local("tree"))
        try drive.succeed("put", "tree", "/tree")
        var aim = try LinkCrashSafetyTests.duration(drive, "get", "/tree", "timed")
        #expect(try Self.contents(drive.local("timed")) == expected)

        var kills = 0
        for round in 0..<(5 * Self.kills) where kills < Self.kills {
            let name = "copy\(round)"
            if try LinkCrashSafetyTests.killed(drive, ["get", "/tree", name], aim: &aim, &random) { kills += 1 }
            if drive.exists(name) {
                #expect(try Self.contents(drive.local(name)) == expected, "after kill \(kills): \(name) is there but not whole")
            }
            let others = try FileManager.default.contentsOfDirectory(atPath: drive.work.path)
                .filter { $0.hasPrefix(".") && !$0.hasPrefix(".\(name).cairn-") }
            #expect(others.isEmpty, "after kill \(kills): \(others)")
            // Whatever the kill left, a get to a fresh path gives the whole tree; the hidden
            // staging folder of a killed get is only removed by hand.
            for staging in try FileManager.default.contentsOfDirectory(atPath: drive.work.path) where staging.hasPrefix(".") {
                try FileManager.default.removeItem(at: drive.local(staging))
            }
        }
        #expect(kills >= Self.kills, "only \(kills) gets were killed (aimed at \(aim) s at last)")
        try drive.succeed("get", "/tree", "last")
        #expect(try Self.contents(drive.local("last")) == expected)
        try drive.succeed("verify")
    }
}
