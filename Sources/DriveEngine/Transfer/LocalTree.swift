#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A file, folder or symbolic link on the local disk, as `lstat` saw it.
struct LocalEntry: Sendable {
    /// Names below the scanned root ([] for the root itself).
    var components: [String]
    var path: String
    var isFolder: Bool
    /// The content's size: 0 for a link (a link version is empty).
    var size: Int64
    var mtimeNs: Int64
    var inode: Int64
    /// Set for a symbolic link: its target, as `readlink` gave it (see `SymbolicLink`).
    var linkTarget: String? = nil
}

extension LocalEntry {
    /// The entry of `path` as `st` (its `lstat`, or `fstat` of it open) describes it; a link's
    /// size is 0 (a link version is empty).
    init(path: String, _ st: stat, linkTarget: String?) {
        self.init(components: [], path: path, isFolder: st.st_mode & S_IFMT == S_IFDIR,
                  size: linkTarget == nil ? Int64(st.st_size) : 0,
                  mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), inode: Int64(st.st_ino),
                  linkTarget: linkTarget)
    }
}

/// Reads local folders with POSIX calls (Foundation's enumerator is several times slower).
enum LocalTree {
    /// A new temporary path beside `final`, `.NAME.cairn-XXXX.tmp` in its folder (NAME cut to at
    /// most 200 bytes, whole characters, so the name stays under the 255-byte limit; XXXX
    /// random): what get writes before renaming into place, and what put and sync leave out
    /// (`IgnoreRules.isTemporary`). The caller creates it with O_EXCL (or mkdir, symlink) and
    /// tries another on EEXIST.
    static func temporaryPath(beside final: String) -> String {
        let directory = (final as NSString).deletingLastPathComponent
        var name = Substring((final as NSString).lastPathComponent)
        while name.utf8.count > 200 { name = name.dropLast() }
        var random = SystemRandomNumberGenerator()
        return directory + "/.\(name).cairn-\(String(random.next() as UInt32, radix: 36)).tmp"
    }

    /// `lstat` of `path`, or an error naming it: a symbolic link is the link itself, with its
    /// target read, never followed. Anything but a regular file, folder or link whose target is
    /// text (a device, a socket, a pipe) is `.invalidArgument`.
    static func stat(_ path: String, _ operation: String) throws(DriveError) -> LocalEntry {
        try checkNoNul(path, operation)
        var st = Glibc.stat()
        guard lstat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw DriveError(.notFound, operation, path, "no such local file or folder")
            }
            throw DriveError(code == EACCES ? .permissionDenied : .io, operation, path, String(cString: strerror(code)))
        }
        let mode = st.st_mode & S_IFMT
        guard mode == S_IFREG || mode == S_IFDIR || mode == S_IFLNK else {
            throw DriveError(.invalidArgument, operation, path, "not a regular file, folder or link (devices, sockets and pipes are not stored)")
        }
        let target = mode == S_IFLNK ? try SymbolicLink.target(path, operation) : nil
        return LocalEntry(path: path, st, linkTarget: target)
    }

    /// Refuses a path with a NUL byte: the C calls would see it cut short, naming another file.
    static func checkNoNul(_ path: String, _ operation: String) throws(DriveError) {
        if path.utf8.contains(0) {
            throw DriveError(.invalidArgument, operation, path.replacingOccurrences(of: "\0", with: "\\0"),
                             "a local path may not contain a NUL byte")
        }
    }

    /// Every regular file, folder and symbolic link below `root`, parents before children, sorted
    /// by name; a link is never followed (one to a folder is not descended into). Fails before
    /// anything is stored if a file cannot be read or a name is not allowed.
    ///
    /// With `leniency` (a sync), entries it ignores are left out (a folder it ignores is not
    /// descended into), and what cannot be read or named on the drive is reported to it and
    /// skipped instead of failing the scan.
    static func scan(_ root: String, _ operation: String, leniency: ScanLeniency? = nil) throws(DriveError)
        -> (entries: [LocalEntry], skipped: [String]) {
        var entries: [LocalEntry] = []
        var skipped: [String] = []
        var stack: [[String]] = [[]]
        while let components = stack.popLast() {
            let dirPath = ([root] + components).joined(separator: "/")
            guard let dir = opendir(dirPath) else {
                if let leniency, !components.isEmpty {
                    leniency.skip(dirPath, "cannot read folder: \(String(cString: strerror(errno)))")
                    continue
                }
                throw DriveError(errno == EACCES ? .permissionDenied : .io, operation, dirPath,
                                 "cannot read folder: \(String(cString: strerror(errno)))")
            }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            var folders: [[String]] = []
            for name in names.sorted() {
                let path = dirPath + "/" + name
                var entry: LocalEntry
                do {
                    entry = try stat(path, operation)
                } catch where error.code == .invalidArgument {
                    skipped.append(path)
                    continue
                } catch where leniency != nil {
                    // Gone since the folder was read, or unreadable: the next scan sees it again.
                    if error.code != .notFound { leniency?.skip(path, error.reason) }
                    continue
                }
                entry.components = components + [name]
                if let leniency {
                    // Whether a file can be read is asked of the changed ones only (a sync
                    // reads nothing else): one system call less per file.
                    if leniency.ignores(entry.components, entry.isFolder) { continue }
                    do {
                        _ = try DrivePath.validName(name, operation: operation, path: path)
                    } catch {
                        leniency.skip(path, error.reason)
                        continue
                    }
                    entries.append(entry)
                    if entry.isFolder { folders.append(entry.components) }
                    continue
                }
                _ = try DrivePath.validName(name, operation: operation, path: path)
                if entry.isFolder {
                    folders.append(entry.components)
                } else if entry.linkTarget == nil && access(path, R_OK) != 0 {
                    throw DriveError(.permissionDenied, operation, path, "cannot read local file: \(String(cString: strerror(errno)))",
                                     hint: "fix its permissions; nothing was stored")
                }
                entries.append(entry)
            }
            stack.append(contentsOf: folders.reversed())
        }
        return (entries, skipped)
    }
}

/// How a sync's scan treats what a put would refuse: entries the device ignores are left out,
/// and unreadable or unnameable ones are reported and skipped.
struct ScanLeniency {
    /// Whether the entry with these names below the root (a folder when the flag is set) is ignored.
    var ignores: ([String], Bool) -> Bool
    /// Told of each entry skipped, with why.
    var skip: (String, String) -> Void
}
