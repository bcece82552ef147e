import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the person's editor on a file and waits for it: `$VISUAL`, else `$EDITOR`, else `vi`,
/// through `/bin/sh` (as git does, so `EDITOR="code --wait"` works), on this process's terminal.
/// The caller hands the terminal back first (``ScreenKit/Screen/suspend()``) and takes it again after.
enum ExternalEditor {
    /// Opens `text` in the editor as a temporary file named `name`, so the editor can tell the
    /// file type; returns what was saved, or nil when the editor could not run or failed.
    static func edit(_ text: Data, name: String) -> Data? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-edit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name.isEmpty || name.hasPrefix(".") ? "hunk" + name : name)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file)
        } catch {
            return nil
        }
        guard run(file.path) == 0 else { return nil }
        return try? Data(contentsOf: file)
    }

    /// Runs the editor on `path`; its exit status, or -1 when it did not start.
    static func run(_ path: String) -> Int32 {
        let script = "${VISUAL:-${EDITOR:-vi}} \"$1\""
        let arguments = ["/bin/sh", "-c", script, "sh", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS are macros: a normal exit leaves the low 7 bits clear.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }
}
