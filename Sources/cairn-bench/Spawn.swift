#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Starts a program with `posix_spawnp` (safe from many plain threads, unlike Foundation's
/// `Process`): standard input from /dev/null, standard output to the file `stdout`, standard
/// error to `stderr` or, when nil, to the same file. The caller waits for the pid.
enum Spawn {
    /// Why a program could not be started: the `errno` that `posix_spawnp` returned.
    struct Failed: Error {
        var errno: Int32
    }

    /// Starts `arguments` (the first is the program, looked up in PATH when it has no slash)
    /// with the `KEY=value` strings of `environment`; output files are truncated unless `append`.
    static func start(_ arguments: [String], environment: [String], stdout: String, stderr: String? = nil,
                      append: Bool = false) throws(Failed) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, flags, 0o644)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, flags, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        guard status == 0 else { throw Failed(errno: status) }
        return pid
    }
}
