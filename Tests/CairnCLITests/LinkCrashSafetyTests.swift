#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Crash safety of the link write paths (DESIGN.md invariants 1 and 7): `kill -9` of a `put` of
/// a tree of links, and of a `get --force` that changes every link of a copy, at random moments.
/// After each kill `cairn verify` passes, every link in the drive has one of its two targets,
/// and every link in the copy is there with its old or its new target: never missing, never a
/// file, never another target (only temporary `.cairn-` names may be left beside them).
@Suite struct LinkCrashSafetyTests {
    static let links = 400
    static let kills = 6

    /// The target of link `index` in generation `generation`.
    static func target(_ index: Int, _ generation: String) -> String {
        "../targets/\(generation)/\(index)/링크 대상.txt"
    }

    /// Makes the local tree `tree` hold generation `generation` of every link (and one file).
    static func makeTree(_ drive: TemporaryDrive, _ generation: String) throws {
        let tree = drive.local("tree")
        try? FileManager.default.removeItem(at: tree)
        try drive.write("tree/file.txt", "a file among the links\n")
        for index in 0..<links {
            try FileManager.default.createSymbolicLink(atPath: tree.path + "/l\(index)", withDestinationPath: target(index, generation))
        }
    }

    /// The bytes stored in the link at `path`, or nil when nothing or something else is there.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// How long `arguments` take uninterrupted, in seconds (the command must succeed).
    static func duration(_ drive: TemporaryDrive, _ arguments: String...) throws -> Double {
        let start = Date()
        try drive.run(arguments).expectSuccess()
        return Date().timeIntervalSince(start)
    }

    /// Runs `arguments` and kills it after a random share of `aim` seconds; whether it was killed.
    /// A run that finished first brings `aim` down by a quarter: the first, timed run of a command
    /// is often slower than the later ones (a cold cache, a store being made), and a fixed aim
    /// would then miss the process again and again.
    static func killed(_ drive: TemporaryDrive, _ arguments: [String], aim: inout Double,
                       _ random: inout SplitMix64) throws -> Bool {
        let process = try drive.start(arguments)
        // Sleeping here only chooses the moment of the kill; nothing waits on it.
        Thread.sleep(forTimeInterval: Double.random(in: 0.3...1.0, using: &random) * aim)
        process.kill()
        let result = try process.wait()
        if !result.killedBySignal {
            result.expectSuccess()
            aim *= 0.75
        }
        return result.killedBySignal
    }

    @Test(.timeLimit(.minutes(5)))
    func killedPutsOfLinksLeaveEveryLinkWithOneOfItsTargets() throws {
        let drive = try TemporaryDrive()
        var random = SplitMix64(seed: 20_261_205)
        try Self.makeTree(drive, "a")
        var aim = try Self.duration(drive, "put", "tree", "/tree")
        var kills = 0
        var generation = 0
        for _ in 0..<(5 * Self.kills) where kills < Self.kills {
            generation += 1
            try Self.makeTree(drive, "g\(generation)")
            if try Self.killed(drive, ["put", "tree", "/tree"], aim: &aim, &random) { kills += 1 }
            try drive.succeed("verify")
            let listed = try drive.succeed("ls", "--json", "/tree").jsonObjects()
            #expect(listed.count == Self.links + 1, "\(listed.count) entries")
            for entry in listed where entry["name"] as? String != "file.txt" {
                let index = Int((entry["name"] as? String ?? "").dropFirst()) ?? -1
                let target = entry["linkTarget"] as? String
                #expect([Self.target(index, "g\(generation - 1)"), Self.target(index, "g\(generation)"), Self.target(index, "a")]
                    .contains(target), "after kill \(kills): \(entry)")
            }
            // Settle on this generation before the next kill.
            try drive.succeed("put", "tree", "/tree")
        }
        #expect(kills >= Self.kills, "only \(kills) puts were killed (aimed at \(aim) s at last)")
        try drive.succeed("get", "/tree", "copy")
        for index in 0..<Self.links {
            #expect(Self.linkTarget(drive.local("copy/l\(index)").path) == Self.target(index, "g\(generation)"))
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func killedGetsLeaveEveryLinkOldOrNewNeverMissingOrAFile() throws {
        let drive = try TemporaryDrive()
        var random = SplitMix64(seed: 20_261_206)
        try Self.makeTree(drive, "a")
        try drive.succeed("put", "tree", "/tree")
        try drive.succeed("get", "/tree", "copy")
        var aim = try Self.duration(drive, "get", "/tree", "copy", "--force")
        var kills = 0
        var old = "a"
        for round in 0..<(5 * Self.kills) where kills < Self.kills {
            let new = "r\(round)"
            try Self.makeTree(drive, new)
            try drive.succeed("put", "tree", "/tree")
            if try Self.killed(drive, ["get", "/tree", "copy", "--force"], aim: &aim, &random) { kills += 1 }
            let names = try FileManager.default.contentsOfDirectory(atPath: drive.local("copy").path).filter { !$0.contains(".cairn-") }
            #expect(names.count == Self.links + 1, "after kill \(kills): \(names.count) entries")
            for index in 0..<Self.links {
                let target = Self.linkTarget(drive.local("copy/l\(index)").path)
                #expect(target == Self.target(index, old) || target == Self.target(index, new), "after kill \(kills): l\(index) → \(target ?? "nothing")")
            }
            #expect(try drive.read("copy/file.txt") == Data("a file among the links\n".utf8))
            try drive.succeed("get", "/tree", "copy", "--force")
            old = new
        }
        #expect(kills >= Self.kills, "only \(kills) gets were killed (aimed at \(aim) s at last)")
        for index in 0..<Self.links {
            #expect(Self.linkTarget(drive.local("copy/l\(index)").path) == Self.target(index, old))
        }
        try drive.succeed("verify")
    }
}
