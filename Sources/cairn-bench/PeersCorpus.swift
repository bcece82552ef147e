#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation

/// The corpus `cairn-bench peers` compares Cairn, restic and borg on, made once and reused:
/// `gen1/` holds a real tree copied from this machine's system folders (source headers, Python,
/// docs, symlinks kept as links), 1 GiB of incompressible bytes and 512 MiB of text (sizes times
/// `scale`); `gen2/` is the same tree hard-linked, with 1 % of the files given a 10-byte insert,
/// the text a 10-byte insert and the incompressible file a 1 MiB append (new files, so `gen1`
/// is untouched and unchanged files keep their inode, size and times in both).
struct PeersCorpus {
    let root: String
    let scale: Double

    var gen1: String { root + "/gen1" }
    var gen2: String { root + "/gen2" }
    /// The parts measured alone as well as together.
    static let parts = ["tree", "incompressible", "text"]

    /// System folders the tree is copied from, in this order, until it has enough files.
    static let sources = ["/usr/include", "/usr/lib/python3.11", "/usr/share/perl", "/usr/share/doc",
                          "/usr/share/man", "/opt/swift/usr/lib/swift/linux", "/usr/lib/x86_64-linux-gnu"]

    /// Makes the corpus unless a complete one for this scale is there.
    func prepare() throws {
        let marker = root + "/.complete-\(scale)"
        if FileManager.default.fileExists(atPath: marker) { return }
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: gen1 + "/tree", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: gen1 + "/incompressible", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: gen1 + "/text", withIntermediateDirectories: true)
        print("making the corpus in \(root) …")
        let (files, links, bytes) = try copyTree(into: gen1 + "/tree", files: Int(38_000 * scale), bytes: Int64(350 * scale) << 20)
        print("  tree: \(files) files, \(links) symlinks, \(bytes >> 20) MiB")
        try BenchData.writeRandom(gen1 + "/incompressible/random.bin", size: Int(Double(1 << 30) * scale), seed: 41)
        try BenchData.writeText(gen1 + "/text/text.txt", size: Int(Double(512 << 20) * scale), seed: 42)
        try makeSecondGeneration()
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
    }

    /// Copies regular files and symbolic links from `sources` in sorted order.
    private func copyTree(into target: String, files maxFiles: Int, bytes maxBytes: Int64) throws -> (Int, Int, Int64) {
        var files = 0, links = 0
        var bytes: Int64 = 0
        let fm = FileManager.default
        for source in Self.sources where fm.fileExists(atPath: source) {
            guard let walker = fm.enumerator(atPath: source) else { continue }
            var entries: [String] = []
            while let entry = walker.nextObject() as? String { entries.append(entry) }
            for entry in entries.sorted() {
                if files + links >= maxFiles || bytes >= maxBytes { return (files, links, bytes) }
                let from = source + "/" + entry
                let to = target + source + "/" + entry
                var st = stat()
                guard lstat(from, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG where st.st_size <= 16 << 20 && access(from, R_OK) == 0:
                    try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    guard let data = fm.contents(atPath: from) else { continue }
                    guard fm.createFile(atPath: to, contents: data) else { throw BenchFailure("cannot write \(to)") }
                    files += 1
                    bytes += Int64(data.count)
                case S_IFLNK:
                    try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    let destination = try fm.destinationOfSymbolicLink(atPath: from)
                    try fm.createSymbolicLink(atPath: to, withDestinationPath: destination)
                    links += 1
                default:
                    continue
                }
            }
        }
        return (files, links, bytes)
    }

    /// `gen2`: `gen1` hard-linked, then the edits written as new files.
    private func makeSecondGeneration() throws {
        _ = try ChildRun.succeed(["cp", "-al", gen1, gen2], log: "/dev/null")
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: gen2 + "/tree") else { return }
        var regular: [String] = []
        while let entry = walker.nextObject() as? String {
            var st = stat()
            if lstat(gen2 + "/tree/" + entry, &st) == 0, st.st_mode & S_IFMT == S_IFREG { regular.append(entry) }
        }
        for (index, entry) in regular.sorted().enumerated() where index % 100 == 0 {
            try insert(Data("0123456789".utf8), into: gen2 + "/tree/" + entry)
        }
        try insert(Data("0123456789".utf8), into: gen2 + "/text/text.txt")
        let random = gen2 + "/incompressible/random.bin"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: random))
        var generator = SeededGenerator(seed: 43)
        bytes.append(contentsOf: generator.bytes(1 << 20))
        try replace(random, with: bytes)
    }

    private func insert(_ extra: Data, into path: String) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.insert(contentsOf: extra, at: bytes.startIndex + bytes.count / 2)
        try replace(path, with: bytes)
    }

    /// A new file at `path` (a new inode: the hard-linked original in `gen1` stays as it was).
    private func replace(_ path: String, with bytes: Data) throws {
        unlink(path)
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { throw BenchFailure("cannot write \(path)") }
    }
}
