#if canImport(Glibc)
import Glibc
#endif
import DriveEngine
import Foundation
import Testing

/// An unreadable local file is a `permissionDenied` error, and nothing is stored.
///
/// The tests may run as root, which reads a mode-000 file anyway. So the file is also read from a
/// thread whose file-system uid is `nobody`: `setfsuid` is per thread, and a non-zero fsuid drops
/// root's right to bypass file permissions for that thread alone.
@Suite struct UnreadableFileTests {
    static let nobody: UInt32 = 65534

    /// A drive with one file, a local folder with a readable and a mode-000 file, and the state.
    func setUp() throws -> (Scratch, locked: String, DriveState) {
        let scratch = try Scratch()
        let kept = try scratch.write("kept.txt", Data("kept".utf8))
        try scratch.session.put(local: kept)
        try scratch.write("folder/a readable.txt", Data("readable".utf8))
        let locked = try scratch.write("folder/b locked.txt", Data("secret".utf8))
        #expect(chmod(locked, 0) == 0)
        // Reads warm a reader connection, so the `nobody` thread never opens the database itself.
        return (scratch, locked, try scratch.session.state())
    }

    /// Whether the calling thread can open `path` for reading.
    static func canOpen(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    @Test func unreadableFileAsTheCurrentUser() throws {
        let (scratch, locked, state) = try setUp()
        guard !Self.canOpen(locked) else {
            // Running as root: chmod 000 does not stop us; the test below covers this case.
            return
        }
        expectDriveError(.permissionDenied) { try scratch.session.put(local: locked, to: "/locked.txt") }
        expectDriveError(.permissionDenied) { try scratch.session.put(local: scratch.path("folder")) }
        #expect(try scratch.session.state() == state)
    }

    @Test func unreadableFileForAThreadWithoutRootsFileRights() throws {
        let (scratch, locked, state) = try setUp()
        let session = scratch.session
        let folder = scratch.path("folder")
        let outcome = try onThread(fsuid: Self.nobody) { () -> (probe: Bool, file: DriveError?, folder: DriveError?) in
            guard !Self.canOpen(locked) else { return (true, nil, nil) }
            return (false, Self.error { try session.put(local: locked, to: "/locked.txt") },
                    Self.error { try session.put(local: folder) })
        }
        guard !outcome.probe else {
            // setfsuid is not allowed here (no CAP_SETUID): nothing to learn.
            return
        }
        #expect(outcome.file?.code == .permissionDenied, "\(String(describing: outcome.file))")
        #expect(outcome.file?.subject == locked)
        #expect(outcome.folder?.code == .permissionDenied, "\(String(describing: outcome.folder))")
        #expect(outcome.folder?.subject == locked)
        #expect(try scratch.session.state() == state)

        // Readable again, the same put works.
        #expect(chmod(locked, 0o644) == 0)
        #expect(try scratch.session.put(local: folder).filesStored == 2)
    }

    static func error(_ body: () throws -> Void) -> DriveError? {
        do { try body() } catch let error as DriveError { return error } catch { return DriveError(.io, "test", "", "\(error)") }
        return nil
    }
}

/// Runs `body` on a fresh thread with file-system uid `fsuid` and waits for it; the thread ends
/// with the body, so no other work ever runs with that uid.
func onThread<T: Sendable>(fsuid: UInt32, _ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        _ = linuxSetfsgid(fsuid)
        _ = linuxSetfsuid(fsuid)
        box.set(Result { try body() })
        done.signal()
    }
    thread.start()
    done.wait()
    return try box.get()
}

/// A result handed from one thread to another; `lock` guards `value`.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) { lock.withLock { value = result } }
    func get() throws -> T { try lock.withLock { value! }.get() }
}

/// Linux `setfsuid(2)` / `setfsgid(2)`: per-thread, unlike `setuid`. Not in Swift's Glibc module.
@_silgen_name("setfsuid")
func linuxSetfsuid(_ uid: UInt32) -> Int32
@_silgen_name("setfsgid")
func linuxSetfsgid(_ gid: UInt32) -> Int32
