#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the `cairn` executable as a child process, from any thread: stdin from /dev/null,
/// stdout and stderr to files (a pipe could fill up and stall it), waited for with `waitpid`;
/// the working directory is this process's, so the paths given are absolute.
///
/// `posix_spawn` rather than Foundation's `Process`, which on Linux waits through a run loop
/// and is awkward from many plain threads at once. `Sendable`: immutable after `init`.
struct CairnRunner: Sendable {
    /// The `cairn` executable.
    let binary: String
    /// `KEY=value` strings of the child's environment.
    let environment: [String]
    /// Where the output files go while a run lasts.
    let scratch: String

    /// How one run ended and what it wrote.
    struct Result: Sendable {
        var arguments: [String]
        /// The exit status, or the signal number when `signalled`.
        var status: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: String

        /// The last line of stderr, trimmed: a failed command ends with one "cairn: …" line (a
        /// notice such as "waiting for another cairn…" may come before it).
        var message: String {
            stderr.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        }

        /// "exit N" or "signal N".
        var ending: String { signalled ? "signal \(status)" : "exit \(status)" }
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var errno: Int32
        var description: String { "could not start cairn \(arguments.joined(separator: " ")): \(String(cString: strerror(errno)))" }
    }

    init(binary: String, environment: [String: String], scratch: String) {
        self.binary = binary
        self.environment = environment.map { "\($0.key)=\($0.value)" }
        self.scratch = scratch
    }

    /// Starts `cairn arguments…`; returns its pid (for `finish` or a kill).
    func start(_ arguments: [String], output name: String) throws -> pid_t {
        do {
            return try Spawn.start([binary] + arguments, environment: environment,
                                   stdout: scratch + "/" + name + ".out", stderr: scratch + "/" + name + ".err")
        } catch {
            throw SpawnFailed(arguments: arguments, errno: error.errno)
        }
    }

    /// Waits for `pid` (started with `output: name`) and collects what it wrote.
    func finish(_ pid: pid_t, arguments: [String], output name: String) -> Result {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let out = scratch + "/" + name + ".out", err = scratch + "/" + name + ".err"
        let stdout = FileManager.default.contents(atPath: out) ?? Data()
        let stderr = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self)
        unlink(out)
        unlink(err)
        let signal = status & 0x7f
        return signal == 0
            ? Result(arguments: arguments, status: (status >> 8) & 0xff, signalled: false, stdout: stdout, stderr: stderr)
            : Result(arguments: arguments, status: signal, signalled: true, stdout: stdout, stderr: stderr)
    }

    /// Runs `cairn arguments…` to the end.
    func run(_ arguments: [String]) throws -> Result {
        let name = "run-\(UUID().uuidString)"
        let pid = try start(arguments, output: name)
        return finish(pid, arguments: arguments, output: name)
    }

    /// The `cairn` next to this executable (`swift build` puts both products in one folder).
    static func sibling() -> String? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("cairn").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}
