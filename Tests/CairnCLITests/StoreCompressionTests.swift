import Foundation
import Testing

/// `init --compression` and what a process without libzstd does with a store's zstd blocks.
/// The machine running the tests has libzstd.so.1 (apt depends on it); `CAIRN_ZSTD=0` gives a
/// `cairn` process that cannot load it.
@Suite struct StoreCompressionTests {
    static let text = String(repeating: "저장소의 블록은 zstd로 압축된다. blocks are compressed with zstd.\n", count: 4000)

    @Test func newStoreUsesZstdAndAProcessWithoutItSaysWhatIsMissing() throws {
        let drive = try TemporaryDrive()
        #expect(try drive.sql("SELECT value FROM setting WHERE key = 'compression'") == "zstd")
        #expect(try drive.sql("SELECT value FROM setting WHERE key = 'compressionLevel'") == "2")
        _ = try drive.write("notes.txt", Self.text)
        try drive.succeed("put", "notes.txt", "/notes.txt")
        try drive.succeed("get", "/notes.txt", "back.txt")
        #expect(try drive.read("back.txt") == Data(Self.text.utf8))

        // Without libzstd the zstd block cannot be read: one line naming the library, exit 1,
        // and no file written.
        let refused = try drive.run(["get", "/notes.txt", "refused.txt"], environment: ["CAIRN_ZSTD": "0"])
        #expect(refused.status == ExitStatus.io, "\(refused)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("libzstd.so.1"), "\(refused)")
        #expect(!drive.exists("refused.txt"))
        // verify says so too, instead of calling the block damaged.
        let verify = try drive.run(["verify"], environment: ["CAIRN_ZSTD": "0"])
        #expect(verify.status == ExitStatus.io && verify.stderr.contains("libzstd.so.1") && !verify.stdout.contains("damaged"), "\(verify)")

        // New blocks written there are deflated, and every process reads them.
        _ = try drive.write("other.txt", Self.text + "another file\n")
        let put = try drive.run(["put", "other.txt", "/other.txt"], environment: ["CAIRN_ZSTD": "0"])
        #expect(put.status == ExitStatus.ok, "\(put)")
        let back = try drive.run(["get", "/other.txt", "other-back.txt"], environment: ["CAIRN_ZSTD": "0"])
        #expect(back.status == ExitStatus.ok, "\(back)")
        #expect(try drive.read("other-back.txt") == Data((Self.text + "another file\n").utf8))
        try drive.succeed("verify")
    }

    @Test func deflateStoreNeverNeedsZstd() throws {
        let drive = try TemporaryDrive(initArguments: ["--compression", "deflate", "--compression-level", "6"])
        #expect(try drive.sql("SELECT value FROM setting WHERE key = 'compression'") == "deflate")
        #expect(try drive.sql("SELECT value FROM setting WHERE key = 'compressionLevel'") == "6")
        _ = try drive.write("notes.txt", Self.text)
        try drive.succeed("put", "notes.txt", "/notes.txt")
        let back = try drive.run(["get", "/notes.txt", "back.txt"], environment: ["CAIRN_ZSTD": "0"])
        #expect(back.status == ExitStatus.ok, "\(back)")
        #expect(try drive.read("back.txt") == Data(Self.text.utf8))
    }

    @Test func storeMadeWithoutZstdIsDeflate() throws {
        let drive = try TemporaryDrive()
        let other = drive.root.appendingPathComponent("other-store").path
        let made = try drive.run(["--store", other, "init"], environment: ["CAIRN_ZSTD": "0"])
        #expect(made.status == ExitStatus.ok, "\(made)")
        let asked = try drive.run(["--store", drive.root.appendingPathComponent("third").path, "init", "--compression", "zstd"],
                                  environment: ["CAIRN_ZSTD": "0"])
        #expect(asked.status == ExitStatus.invalidArgument && asked.stderr.contains("libzstd"), "\(asked)")
    }

    @Test(arguments: [
        (["--compression", "lz4"], "zstd or deflate"),
        (["--compression", "zstd", "--compression-level", "20"], "0–19"),
        (["--compression", "deflate", "--compression-level", "10"], "0–9"),
        (["--compression-level", "25"], "0–19"),
    ])
    func badCompressionIsRefused(arguments: [String], mention: String) throws {
        let drive = try TemporaryDrive()
        let path = drive.root.appendingPathComponent("refused-store").path
        let result = try drive.run(["--store", path, "init"] + arguments)
        #expect(result.status == ExitStatus.invalidArgument, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains(mention), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: path + "/meta.sqlite"))
    }
}
