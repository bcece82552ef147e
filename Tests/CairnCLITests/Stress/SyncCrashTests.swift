import Foundation
import Testing

/// `kill -9` of `cairn sync` at random moments, pushing (device a sends edits) and pulling
/// (device b takes them), 12 times: after each kill no file in b's folder is partial (each holds
/// one whole version's bytes), `cairn verify` passes, every version listed before is still
/// there, and once both sync again uninterrupted the folders and the drive agree. The kill
/// moments come from `CAIRN_CRASH_SEED`, printed with every failure.
@Suite struct SyncCrashTests {
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["CAIRN_CRASH_SEED"] ?? "") ?? 20_261_205 }

    @Test(.timeLimit(.minutes(6)))
    func killsDuringPushAndPullLoseNothingAndConverge() throws {
        let drive = try TemporaryDrive(initArguments: StressCrashMatrixTests.chunking, user: "alice")
        try drive.succeed("device", "add", "a", "--folder", "a")
        try drive.succeed("device", "add", "b", "--folder", "b")
        var random = SplitMix64(seed: Self.seed)
        var known = Set<Data>() // every content any version may have
        func edit(_ round: Int) throws {
            for index in 0..<60 where random.next() % 3 == 0 || round == 0 {
                let data = Data("file \(index), round \(round)\n".utf8) + SeededBytes.data(count: Int(random.next() % 40_000), seed: random.next())
                known.insert(data)
                _ = try drive.write("a/dir\(index % 4)/f\(index).bin", data)
            }
            let big = SeededBytes.data(count: 6 << 20, seed: random.next())
            known.insert(big)
            _ = try drive.write("a/big.bin", big)
        }
        try edit(0)
        // How long each direction takes uninterrupted: kills are aimed inside that.
        var start = Date()
        try drive.succeed("sync", "a")
        let pushTime = Date().timeIntervalSince(start)
        start = Date()
        try drive.succeed("sync", "b")
        let pullTime = Date().timeIntervalSince(start)

        var killed = 0
        for round in 1...12 {
            let pushing = round % 2 == 1
            if pushing { try edit(round) }
            let versionsBefore = try drive.sql("SELECT COUNT(*) FROM version WHERE state = 'committed'")
            let duration = pushing ? pushTime : pullTime
            let delay = Double(random.next() % 1000) / 1000 * duration * 0.8
            let context = "seed \(Self.seed), round \(round): kill -9 of sync \(pushing ? "a (push)" : "b (pull)") after \(String(format: "%.3f", delay)) s"
            let process = try drive.start(["sync", pushing ? "a" : "b"])
            Thread.sleep(forTimeInterval: delay)
            process.kill()
            if try process.wait().killedBySignal { killed += 1 }

            let verify = try drive.run("verify")
            #expect(verify.status == 0, "\(context): \(verify)")
            let versionsAfter = try drive.sql("SELECT COUNT(*) FROM version WHERE state = 'committed'")
            #expect((Int(versionsAfter) ?? 0) >= (Int(versionsBefore) ?? 0), "\(context): versions \(versionsBefore) -> \(versionsAfter)")
            for side in ["a", "b"] {
                let folder = drive.local(side).path
                for case let rel as String in FileManager.default.enumerator(atPath: folder)! {
                    let path = folder + "/" + rel
                    var isFolder: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                          !rel.contains(".cairn-") else { continue }
                    let data = try Data(contentsOf: URL(fileURLWithPath: path))
                    #expect(known.contains(data), "\(context): \(side)/\(rel) holds \(data.count) bytes that no version has")
                }
            }
        }
        #expect(killed >= 3, "seed \(Self.seed): only \(killed) of 12 syncs were killed before they finished")
        // Uninterrupted now: both converge, and no temporary file is left behind.
        for name in ["a", "b", "a", "b"] { try drive.succeed("sync", name) }
        let a = try folderContents(drive.local("a").path)
        let b = try folderContents(drive.local("b").path)
        #expect(a == b, "seed \(Self.seed): the folders differ")
        #expect(!a.keys.contains { $0.contains(".cairn-") } && !b.keys.contains { $0.contains(".cairn-") })
        let fresh = drive.local("fresh").path
        try drive.succeed("get", "/", fresh)
        #expect(try folderContents(fresh) == a, "seed \(Self.seed): the drive differs from the folders")
        #expect(try drive.succeed("conflicts").stdout == "no open conflicts\n")
    }
}

/// What a local folder holds, path → each file's bytes (base64), "D" for each folder, "L:" + target for links.
func folderContents(_ root: String) throws -> [String: String] {
    var out: [String: String] = [:]
    for case let rel as String in FileManager.default.enumerator(atPath: root)! {
        let path = root + "/" + rel
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        switch attributes[.type] as? FileAttributeType {
        case .typeDirectory?: out[rel] = "D"
        case .typeSymbolicLink?: out[rel] = "L:" + (try FileManager.default.destinationOfSymbolicLink(atPath: path))
        default: out[rel] = try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString()
        }
    }
    return out
}
