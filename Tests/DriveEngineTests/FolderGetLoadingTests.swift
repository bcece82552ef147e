import Blocks
import DriveEngine
import Foundation
import Synchronization
import Testing

/// A folder get loads each file's block list when it reaches that file, not every list up front
/// (issue 10, "memory bounded by design"); what it writes stays the version it listed.
@Suite struct FolderGetLoadingTests {
    static let mediumChunks = ChunkerParameters(minSize: 64 << 10, averageSize: 256 << 10, maxSize: 1 << 20)

    /// The block list of a file is read only when the writer reaches it: a file purged from the
    /// drive while the get was busy with an earlier one is a conflict naming it, never an empty
    /// local file. (With every list loaded up front, the get went on to read the purged file's
    /// freed blocks and reported a healthy store as corrupted, exit 7, with a repair hint.)
    @Test func aFilePurgedWhileTheGetRunsIsAConflictNotAnEmptyFile() throws {
        let scratch = try Scratch(chunker: Self.mediumChunks)
        let large = randomBytes(33 << 20, seed: 51) // over 32 MiB: streamed before the small file
        try scratch.write("tree/a-large.bin", large)
        try scratch.write("tree/b-small.txt", Data("a small file\n".utf8))
        try scratch.session.put(local: scratch.path("tree"), to: "/tree")

        let purged = Flag()
        let session = scratch.session
        // Another process empties the trash: its purge commits at once, and its sweep waits
        // for the get (which holds the store lock), so blocks never vanish under the get.
        let other = try Drive.open(at: scratch.store, create: false).session(for: "alice")
        let emptied = DispatchSemaphore(value: 0)
        let options = TransferOptions(progress: { _ in
            guard purged.setFirstTime() else { return }
            try? session.trash("/tree/b-small.txt")
            Thread.detachNewThread {
                _ = try? other.emptyTrash()
                emptied.signal()
            }
            let deadline = Date().addingTimeInterval(30)
            while (try? other.trashList().isEmpty) != true && Date() < deadline { usleep(2000) }
        })
        let out = scratch.path("out")
        let error = expectDriveError(.conflict) { try session.get("/tree", to: out, options: options) }
        #expect(emptied.wait(timeout: .now() + 30) == .success)
        #expect(purged.isSet)
        #expect(error?.subject.hasSuffix("/b-small.txt") == true, "\(String(describing: error))")
        // A get into a new folder appears whole or not at all: nothing at `out`, and no
        // hidden staging folder left beside it.
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.local.path).filter { $0.hasPrefix(".out.") }.isEmpty)
    }

    /// A large file (streamed, over 32 MiB) of more blocks than a page of its block list (1024)
    /// is written whole, from a folder get (list read page by page) and a file get alike.
    @Test func aLargeFileOfManyPagesOfBlocksArrivesWhole() throws {
        let scratch = try Scratch()
        let data = randomBytes(33 << 20, seed: 52)
        try scratch.write("big/large.bin", data)
        try scratch.session.put(local: scratch.path("big"), to: "/big")
        #expect(try #require(try scratch.session.log("/big/large.bin").first).version.blockCount > 2048)
        try scratch.session.get("/big", to: scratch.path("folder"))
        #expect(try scratch.read(scratch.path("folder/large.bin")) == data)
        try scratch.session.get("/big/large.bin", to: scratch.path("file.bin"))
        #expect(try scratch.read(scratch.path("file.bin")) == data)
    }

    /// Many files in several groups all arrive intact, each from its own block list.
    @Test func aTreeOfManyFilesArrivesWhole() throws {
        let scratch = try Scratch()
        var expected: [String: Data] = [:]
        for i in 0..<300 {
            let data = randomBytes(1000 + i * 37, seed: UInt64(100 + i))
            expected["d\(i % 7)/f\(i).bin"] = data
            try scratch.write("many/d\(i % 7)/f\(i).bin", data)
        }
        try scratch.session.put(local: scratch.path("many"), to: "/many")
        let report = try scratch.session.get("/many", to: scratch.path("back"))
        #expect(report.files == 300)
        for (relative, data) in expected {
            #expect(try scratch.read(scratch.path("back/" + relative)) == data, "\(relative)")
        }
    }
}

/// A flag set once from any thread. Thread-safe: the state is a `Mutex`.
final class Flag: Sendable {
    private let state = Mutex(false)

    /// Sets the flag; true only for the call that set it.
    func setFirstTime() -> Bool {
        state.withLock { set in
            defer { set = true }
            return !set
        }
    }

    var isSet: Bool { state.withLock { $0 } }
}
