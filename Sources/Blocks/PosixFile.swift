#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemPackage

/// A thin owner of a file descriptor (swift-system's `FileDescriptor`): whole reads and writes,
/// fsync, close on deinit; errors become `BlockError`, a full disk `.storageFull`.
///
/// Not thread-safe for writes; `pread` may be called from several threads at once.
public final class PosixFile: @unchecked Sendable {
    // `descriptor` is immutable after init; the kernel serialises concurrent preads on it.
    /// The open descriptor, owned by this object (closed on deinit).
    public let descriptor: FileDescriptor
    /// The path it was opened with, for error messages.
    public let path: String
    /// The raw descriptor, for the few calls swift-system does not wrap (`futimens`, `syncfs`).
    public var fd: Int32 { descriptor.rawValue }

    /// Opens `path` with POSIX `flags` (access mode and options, as for `open(2)`) and `mode`
    /// when creating; the descriptor is always close-on-exec.
    public init(path: String, flags: Int32, mode: mode_t = 0o644) throws(BlockError) {
        let access = FileDescriptor.AccessMode(rawValue: flags & O_ACCMODE)
        let options = FileDescriptor.OpenOptions(rawValue: flags & ~O_ACCMODE).union(.closeOnExec)
        do {
            descriptor = try FileDescriptor.open(FilePath(path), access, options: options, permissions: FilePermissions(rawValue: mode))
        } catch {
            throw PosixFile.error("cannot open \(path)", error)
        }
        self.path = path
    }

    deinit { try? descriptor.close() }

    /// Writes all of `data` at the current offset.
    public func write(_ data: Data) throws(BlockError) {
        do { try descriptor.writeAll(data) } catch { throw PosixFile.error("cannot write \(path)", error) }
    }

    /// Reads up to `count` bytes at the current offset; fewer only at end of file.
    public func read(upTo count: Int, into buffer: UnsafeMutableRawBufferPointer) throws(BlockError) -> Int {
        var done = 0
        do {
            while done < count {
                let n = try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<count]))
                if n == 0 { break }
                done += n
            }
        } catch {
            throw PosixFile.error("cannot read \(path)", error)
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`; `.corrupted` if the file is shorter.
    public func pread(count: Int, at offset: Int) throws(BlockError) -> Data {
        var data = Data(count: count)
        let got: Result<Int, any Error> = data.withUnsafeMutableBytes { raw in
            Result {
                var done = 0
                while done < count {
                    let n = try descriptor.read(fromAbsoluteOffset: Int64(offset + done),
                                                into: UnsafeMutableRawBufferPointer(rebasing: raw[done..<count]))
                    if n == 0 { break }
                    done += n
                }
                return done
            }
        }
        switch got {
        case .failure(let error): throw PosixFile.error("cannot read \(path)", error)
        case .success(let done): guard done == count else { throw .corrupted("\(path) is truncated") }
        }
        return data
    }

    /// Flushes the file's data and metadata to stable storage.
    public func sync() throws(BlockError) {
        guard fsync(descriptor.rawValue) == 0 else { throw PosixFile.error("cannot sync \(path)") }
    }

    /// Starts writeback of `count` bytes at `offset` without waiting (Linux `sync_file_range`), so
    /// the disk works while the caller computes and a later `sync()` finds little left to do. A
    /// hint only: elsewhere it does nothing.
    public func startWriteback(offset: Int, count: Int) {
        #if os(Linux)
        _ = linuxSyncFileRange(descriptor.rawValue, Int64(offset), Int64(count), 2 /* SYNC_FILE_RANGE_WRITE */)
        #endif
    }

    /// The file's size in bytes.
    public func size() throws(BlockError) -> Int {
        do { return Int(try descriptor.stat().size) } catch { throw PosixFile.error("cannot stat \(path)", error) }
    }

    /// `fstat(2)` of the open file.
    public func status() throws(BlockError) -> stat {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        return st
    }

    /// Flushes a directory entry (after create, rename or unlink inside `directory`).
    public static func syncDirectory(_ directory: String) throws(BlockError) {
        let dir = try PosixFile(path: directory, flags: O_RDONLY | O_DIRECTORY)
        try dir.sync()
    }

    /// A `BlockError` for the current `errno`, telling a full disk apart.
    public static func error(_ what: String) -> BlockError {
        error(what, Errno(rawValue: errno))
    }

    /// A `BlockError` for an error thrown by swift-system (an `Errno`), telling a full disk apart.
    static func error(_ what: String, _ error: any Error) -> BlockError {
        guard let code = error as? Errno else { return .io("\(what): \(error)") }
        let reason = String(cString: strerror(code.rawValue))
        if code == .noSpace || code.rawValue == EDQUOT { return .storageFull("\(what): \(reason)") }
        return .io("\(what): \(reason)")
    }
}
