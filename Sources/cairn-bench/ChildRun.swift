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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchFailure("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
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
