#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A thin owner of a POSIX file descriptor: whole reads and writes, fsync, close on deinit.
///
/// Not thread-safe for writes; `pread` may be called from several threads at once.
public final class PosixFile: @unchecked Sendable {
    // `fd` is immutable after init; the kernel serialises concurrent preads on it.
    public let fd: Int32
    public let path: String

    /// Opens `path` with POSIX `flags` (and `mode` when creating).
    public init(path: String, flags: Int32, mode: mode_t = 0o644) throws(BlockError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw PosixFile.error("cannot open \(path)") }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Writes all of `data` at the current offset.
    public func write(_ data: Data) throws(BlockError) {
        let result: Int32 = data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return 0
        }
        if result != 0 { errno = result; throw PosixFile.error("cannot write \(path)") }
    }

    /// Reads up to `count` bytes at the current offset; fewer only at end of file.
    public func read(upTo count: Int, into buffer: UnsafeMutableRawBufferPointer) throws(BlockError) -> Int {
        var done = 0
        while done < count {
            let n = Glibc.read(fd, buffer.baseAddress! + done, count - done)
            if n < 0 { if errno == EINTR { continue }; throw PosixFile.error("cannot read \(path)") }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`; `.corrupted` if the file is shorter.
    public func pread(count: Int, at offset: Int) throws(BlockError) -> Data {
        var data = Data(count: count)
        let got: Int = data.withUnsafeMutableBytes { raw in
            var done = 0
            while done < count {
                let n = Glibc.pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 { if errno == EINTR { continue }; return -Int(errno) }
                if n == 0 { break }
                done += n
            }
            return done
        }
        if got < 0 { errno = Int32(-got); throw PosixFile.error("cannot read \(path)") }
        guard got == count else { throw .corrupted("\(path) is truncated") }
        return data
    }

    /// Flushes the file's data and metadata to stable storage.
    public func sync() throws(BlockError) {
        guard fsync(fd) == 0 else { throw PosixFile.error("cannot sync \(path)") }
    }

    /// Starts writeback of `count` bytes at `offset` without waiting (Linux `sync_file_range`), so
    /// the disk works while the caller computes and a later `sync()` finds little left to do.
    public func startWriteback(offset: Int, count: Int) {
        _ = linuxSyncFileRange(fd, Int64(offset), Int64(count), 2 /* SYNC_FILE_RANGE_WRITE */)
    }

    /// The file's size in bytes.
    public func size() throws(BlockError) -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        return Int(st.st_size)
    }

    /// Flushes a directory entry (after create, rename or unlink inside `directory`).
    public static func syncDirectory(_ directory: String) throws(BlockError) {
        let dir = try PosixFile(path: directory, flags: O_RDONLY | O_DIRECTORY)
        try dir.sync()
    }

    /// A `BlockError` for the current `errno`, telling a full disk apart.
    public static func error(_ what: String) -> BlockError {
        let code = errno
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT { return .storageFull("\(what): \(reason)") }
        return .io("\(what): \(reason)")
    }
}
