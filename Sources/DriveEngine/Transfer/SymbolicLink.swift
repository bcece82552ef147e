#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation

/// Symbolic links on the local disk, read and made without ever following one.
///
/// A link is stored as the text `readlink` gives (a version's `linkTarget`), whatever it points
/// to: a file or folder inside the tree, something outside it, or nothing. Only a target that is
/// valid UTF-8 can be stored (the drive keeps text); any other is skipped like a device.
enum SymbolicLink {
    /// The target of the link at `path`, exactly as stored in the link; never followed.
    static func target(_ path: String, _ operation: String) throws(DriveError) -> String {
        var capacity = 256
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let count = buffer.withUnsafeMutableBufferPointer { raw in
                raw.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, capacity) }
            }
            guard count >= 0 else {
                let code = errno
                throw DriveError(code == EACCES ? .permissionDenied : .io, operation, path,
                                 "cannot read link: \(String(cString: strerror(code)))")
            }
            // readlink cuts a longer target to the buffer without saying so: a full buffer
            // may be a cut one.
            guard count == capacity else {
                guard let text = String(validating: buffer[..<count], as: UTF8.self) else {
                    throw DriveError(.invalidArgument, operation, path, "the link's target is not UTF-8 text; links are stored as text")
                }
                return text
            }
            capacity *= 2
        }
    }

    /// Whether two link targets (nil: not a link) are the same bytes. String equality is
    /// Unicode-canonical: it would call an NFD target the same as its NFC spelling, and a link's
    /// target is stored exactly as `readlink` gave it.
    static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }

    /// Makes a link to `target` at a new temporary name beside `final`, with modification time
    /// `modified`; returns the temporary path. The caller renames it into place, so whatever is
    /// at `final` (a file, another link) is replaced in one step and never written through.
    static func makeTemporary(for final: String, target: String, modified: Date) throws -> String {
        while true {
            let temp = LocalTree.temporaryPath(beside: final)
            if symlink(target, temp) == 0 {
                setModified(temp, modified)
                return temp
            }
            guard errno == EEXIST else { throw PosixFile.error("cannot create link \(temp)") }
        }
    }

    /// Makes a link to `target` at `path`, where nothing may be yet, with modification time
    /// `modified`; returns its `lstat`.
    static func make(at path: String, target: String, modified: Date) throws -> stat {
        guard symlink(target, path) == 0 else { throw PosixFile.error("cannot create link \(path)") }
        setModified(path, modified)
        var st = stat()
        guard lstat(path, &st) == 0 else { throw PosixFile.error("cannot read link \(path)") }
        return st
    }

    /// Sets the link's own time (not its target's): the files cache compares it.
    private static func setModified(_ path: String, _ modified: Date) {
        var times = [timespec(modified), timespec(modified)]
        utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }
}
