#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One finished child process as a benchmark sees it: exit status, wall time, user and system
/// CPU and peak resident memory, from `wait4(2)` (the child's own figures, not this process's).
struct ChildRun {
    var status: Int32
    var wall: Double
    var user: Double
    var system: Double
    var peakRSSMiB: Double

    /// Runs `arguments` (the first is looked up in PATH) with `environment` added to this
    /// process's, standard output and error to `log` (appended), and waits for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], log: String) throws -> ChildRun {
        // The peak RSS wait4 gives for a child of this process starts at this process's own peak
        // (the spawned child shares its memory until exec): GNU time, itself small, measures the
        // program as its own child and writes that figure to a file.
        let timeTool = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: timeTool) else { return try spawn(arguments, environment: environment, log: log) }
        let figure = NSTemporaryDirectory() + "cairn-bench-rss-\(getpid())"
        defer { unlink(figure) }
        var result = try spawn([timeTool, "-f", "%M", "-o", figure] + arguments, environment: environment, log: log)
        if let text = try? String(contentsOfFile: figure, encoding: .utf8),
           let kib = text.split(separator: "\n").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            result.peakRSSMiB = kib / 1024
        }
        return result
    }

    /// Spawns `arguments` and waits for it with `wait4`.
    private static func spawn(_ arguments: [String], environment: [String: String], log: String) throws -> ChildRun {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let start = Date()
        let pid: pid_t
        do {
            pid = try Spawn.start(arguments, environment: env.map { "\($0.key)=\($0.value)" }, stdout: log, append: true)
        } catch {
            throw BenchFailure("cannot start \(arguments[0]): \(String(cString: strerror(error.errno)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(status: exit, wall: Date().timeIntervalSince(start),
                        user: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
                        system: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
                        peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }

    /// Like `run`, but a non-zero exit is an error naming the command and its log.
    static func succeed(_ arguments: [String], environment: [String: String] = [:], log: String) throws -> ChildRun {
        let result = try run(arguments, environment: environment, log: log)
        guard result.status == 0 else {
            throw BenchFailure("\(arguments.joined(separator: " ")) exited \(result.status); see \(log)")
        }
        return result
    }
}

extension BenchFailure {
    init(_ description: String) { self.init(description: description) }
}
