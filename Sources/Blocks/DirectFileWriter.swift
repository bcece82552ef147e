#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes a new file from start to end past the page cache (Linux `O_DIRECT`) where the file
/// system allows it, for files large enough that copying them into the page cache is the cost.
///
/// Why: on this kind of machine a buffered `write` of a large file spends most of its time in
/// the kernel copying into freshly allocated page-cache pages (1.5 GiB: 2.9 s of system CPU with
/// `dd bs=4M`), and a file that must be synced is written to the disk anyway; with `O_DIRECT`
/// the disk reads our buffer itself (the same 1.5 GiB: 0.8 s wall, 0.13 s system CPU, durable
/// once the size is synced). Direct writes must start, end and sit in memory on 4 KiB
/// boundaries, so bytes are gathered in an aligned buffer and written a whole number of 4 KiB
/// pages at a time; the last partial page is written through the page cache. Where the file
/// system refuses `O_DIRECT` (`EINVAL`: some do), everything is written the usual way.
///
/// A file that is read while it grows (a pack) calls `writeOut` to hand every byte to the kernel:
/// the partial last page goes through the page cache and stays gathered, and the next direct
/// write rewrites that page whole (the kernel writes back and drops its cached copy first).
///
/// Not thread-safe: one thread (or one serial queue, or callers holding one lock) uses it.
public final class DirectFileWriter: @unchecked Sendable {
    // Used from one serial context at a time (see above).
    public let file: PosixFile
    /// Whether writes go past the page cache (false once the file system refused, or finished).
    public private(set) var isDirect: Bool
    private static let alignment = 4096
    private let capacity: Int
    /// Allocated at the first gathered byte, freed by `finish`.
    private var buffer: UnsafeMutableRawBufferPointer?
    /// Bytes gathered in `buffer`, starting at file offset `offset` (a page boundary).
    private var filled = 0
    private var offset = 0
    /// Of the gathered bytes, how many the kernel has already (through the page cache).
    private var handedOut = 0

    /// Turns `O_DIRECT` on for `file` (opened for writing, empty) when the system allows it.
    /// `capacity` (a multiple of 4 KiB) bounds each write; `direct: false` writes through the
    /// page cache in any case.
    public init(file: PosixFile, capacity: Int = 4 << 20, direct: Bool = true) {
        self.file = file
        precondition(capacity > 0 && capacity % Self.alignment == 0)
        self.capacity = capacity
        #if os(Linux)
        let flags = fcntl(file.fd, F_GETFL)
        isDirect = direct && flags >= 0 && Self.oDirect.map { fcntl(file.fd, F_SETFL, flags | $0) == 0 } ?? false
        #else
        isDirect = false
        #endif
    }

    deinit { buffer?.deallocate() }

    /// Linux's `O_DIRECT`, which Swift's Glibc module does not export (it needs `_GNU_SOURCE`);
    /// its value differs between architectures, and where it is not known here nothing is direct.
    #if arch(x86_64) || arch(i386)
    private static let oDirect: Int32? = 0o40000
    #elseif arch(arm64) || arch(arm)
    private static let oDirect: Int32? = 0o200000
    #else
    private static let oDirect: Int32? = nil
    #endif

    /// Whether some appended bytes are not with the kernel yet (see `writeOut`).
    public var hasUnwritten: Bool { filled > handedOut }

    /// Appends `data` to the file.
    public func append(_ data: Data) throws(BlockError) {
        guard isDirect else {
            try flush(upTo: filled) // what was gathered before the file system refused
            let result = data.withUnsafeBytes { raw in
                Result { () throws(BlockError) in
                    if let base = raw.baseAddress { try write(base, count: raw.count, at: offset) }
                }
            }
            try result.get()
            offset += data.count
            return
        }
        let buffer = self.buffer ?? UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: Self.alignment)
        self.buffer = buffer
        var rest = data[...]
        while !rest.isEmpty {
            let count = min(rest.count, capacity - filled)
            rest.prefix(count).withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + count)]).copyMemory(from: source)
            }
            filled += count
            rest = rest.dropFirst(count)
            if filled == capacity { try flush(upTo: filled) }
        }
    }

    /// Hands every byte appended to the kernel (readers of the file see them; a sync makes them
    /// durable) and goes on gathering after them.
    public func writeOut() throws(BlockError) {
        guard let buffer, hasUnwritten else { return }
        try flush(upTo: filled - filled % Self.alignment)
        guard filled > handedOut else { return }
        // The partial last page through the page cache, kept gathered for the next direct write.
        try setDirect(false)
        try write(buffer.baseAddress! + handedOut, count: filled - handedOut, at: offset + handedOut)
        handedOut = filled
        if isDirect { try setDirect(true) }
    }

    /// Hands every byte appended to the kernel and frees the buffer; later appends go through the
    /// page cache. Sync the file to make it durable.
    public func finish() throws(BlockError) {
        try writeOut()
        try setDirect(false)
        isDirect = false
        offset += filled
        filled = 0
        handedOut = 0
        buffer?.deallocate()
        buffer = nil
    }

    /// Writes the first `count` gathered bytes (past the page cache) and keeps the rest at the
    /// start of the buffer.
    private func flush(upTo count: Int) throws(BlockError) {
        guard count > 0, let buffer else { return }
        try write(buffer.baseAddress!, count: count, at: offset)
        offset += count
        filled -= count
        handedOut = max(0, handedOut - count)
        if filled > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + count, byteCount: filled) }
    }

    /// Writes `count` bytes at file offset `at`. A direct write the file system refuses is made
    /// again through the page cache, and so is everything after it.
    private func write(_ bytes: UnsafeRawPointer, count: Int, at start: Int) throws(BlockError) {
        var done = 0
        while done < count {
            let n = pwrite(file.fd, bytes + done, count - done, off_t(start + done))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && isDirect {
                    try setDirect(false)
                    isDirect = false
                    continue
                }
                throw PosixFile.error("cannot write \(file.path)")
            }
            done += n
        }
    }

    /// Turns `O_DIRECT` on or off for the descriptor (not `isDirect`, which says what is wanted).
    private func setDirect(_ on: Bool) throws(BlockError) {
        #if os(Linux)
        guard let oDirect = Self.oDirect else { return }
        let flags = fcntl(file.fd, F_GETFL)
        guard flags >= 0 else { throw PosixFile.error("cannot write \(file.path)") }
        let wanted = on ? flags | oDirect : flags & ~oDirect
        guard wanted != flags else { return }
        guard fcntl(file.fd, F_SETFL, wanted) == 0 else { throw PosixFile.error("cannot write \(file.path)") }
        #endif
    }
}
