#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program to the end with a clean signal state: nothing blocked, the usual signals at
/// their default action, and no file descriptor of the test process but the three given.
///
/// Foundation's `Process` hands the child the signal mask of the spawning thread, and test
/// threads (Dispatch workers) block nearly every signal. A tmux server started that way passes
/// the mask on to the program in its pane, which then never sees SIGINT from Ctrl-C, SIGWINCH
/// from a resize or SIGHUP from `kill-server`, and the server never reaps it. Unblocking the
/// signals around `Process.run()` is no cure: Foundation then misses the SIGCHLD it waits for.
enum ChildProcess {
    /// How a program ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed after the timeout.
        case timedOut
    }

    /// Starts `executable` with `arguments` and exactly `environment`, stdout and stderr going to
    /// the given files, stdin from /dev/null; waits up to `timeout` seconds (then SIGKILLs it).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    stdout: String, stderr: String, timeout: Double) throws -> Ending {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // A leaked pipe end would keep another test's reader waiting for as long as tmux runs.
        // (`addclosefrom_np` is not visible through Swift's Glibc module; closing a descriptor
        // that has gone meanwhile is not an error for glibc's posix_spawn.)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
        }

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD, userInfo: [NSLocalizedDescriptionKey: "cannot wait for \(executable)"])
            }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return .timedOut
            }
            usleep(2_000)
        }
        // The <sys/wait.h> macros do not import: the low 7 bits are the signal, 0 for an exit.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
