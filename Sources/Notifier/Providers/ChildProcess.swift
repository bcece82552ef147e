#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program to completion with `posix_spawnp`, feeding it `input` on standard input and
/// capturing its standard output and error, killed when it runs past a deadline.
///
/// Built for a multithreaded process (workers on Dispatch queues): `posix_spawnp` runs no code
/// of ours between fork and exec, unlike a hand-made fork. Each stream is a Unix socket pair
/// rather than a pipe: `socketpair` takes SOCK_CLOEXEC, so a program another thread starts
/// meanwhile inherits none of them (an inherited copy of the input's write end would keep it
/// open, and the program waiting, forever) — Swift's Glibc module does not offer `pipe2`, and
/// `pipe` + `fcntl` leaves a gap — and `send` takes MSG_NOSIGNAL, so writing to a program that
/// exited without reading fails with EPIPE instead of raising SIGPIPE, which would end this
/// process. A program reads and writes a socket with the same calls as a pipe. One thread does
/// all the I/O with `poll`, so a program that writes much before reading all its input cannot
/// deadlock against us.
struct ChildProcess {
    /// How the program ended.
    enum End: Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// It ran past the deadline and was killed (with everything it started).
        case timedOut
        /// Something else in this process reaped it (SIGCHLD set to SIG_IGN, or a handler that
        /// waits for any child): it ended, how is unknown.
        case vanished
    }

    /// The program could not be started: the `errno` `posix_spawnp` returned (ENOENT: no such
    /// program; EACCES: not executable).
    struct StartFailure: Error {
        var errno: Int32
    }

    /// Output kept per stream; the rest is read and dropped, so a chatty program never blocks.
    static let outputLimit = 64 * 1024

    var end: End
    var stdout: Data
    var stderr: Data

    /// Runs `arguments` (the first is the program, looked up in PATH when it has no slash) with
    /// this process's environment and waits at most `timeout` seconds for it.
    static func run(_ arguments: [String], input: Data, timeout: Double) throws(StartFailure) -> ChildProcess {
        // Standard input, output and error, in that order.
        let streams = try makeStreams()
        let pid: pid_t
        do {
            pid = try spawn(arguments, streams: streams.map(\.theirs))
        } catch {
            streams.forEach { close($0.ours); close($0.theirs) }
            throw error
        }
        streams.forEach { close($0.theirs) }
        var exchange = Exchange(pid: pid, input: input, stdin: streams[0].ours, outputs: [streams[1].ours, streams[2].ours])
        let end = exchange.run(deadline: DispatchTime.now().uptimeNanoseconds + nanoseconds(timeout))
        return ChildProcess(end: end, stdout: exchange.captured[0], stderr: exchange.captured[1])
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, min(seconds, 86_400)) * 1e9)
    }

    /// A connected socket pair: our end and the program's.
    private struct Ends {
        var ours: Int32
        var theirs: Int32
    }

    /// Three close-on-exec socket pairs, our ends non-blocking.
    private static func makeStreams() throws(StartFailure) -> [Ends] {
        var made: [Ends] = []
        for _ in 0..<3 {
            var ends: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
                let error = errno
                made.forEach { close($0.ours); close($0.theirs) }
                throw StartFailure(errno: error)
            }
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            made.append(Ends(ours: ends[0], theirs: ends[1]))
        }
        return made
    }

    /// Starts the program in a process group of its own (so a timeout kills what it started too),
    /// with no signal blocked and every signal's default action: Dispatch's worker threads block
    /// most signals, and a child would otherwise inherit that mask and ignore SIGTERM.
    private static func spawn(_ arguments: [String], streams: [Int32]) throws(StartFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 leaves the copies (0, 1, 2) without close-on-exec; the originals close at exec.
        for (target, fd) in streams.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(target))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else { throw StartFailure(errno: status) }
        return pid
    }
}

/// The conversation with one running program: input written, output read, until it exits.
private struct Exchange {
    let pid: pid_t
    let input: Data
    var written = 0
    /// Our end of its standard input; -1 once all is written (or it stopped reading).
    var stdin: Int32
    /// Our ends of its standard output and error; -1 once at end of file.
    var outputs: [Int32]
    var captured: [Data] = [Data(), Data()]

    init(pid: pid_t, input: Data, stdin: Int32, outputs: [Int32]) {
        self.pid = pid
        self.input = input
        self.stdin = stdin
        self.outputs = outputs
        if input.isEmpty { closeInput() }
    }

    /// Feeds and reads the program until it exits or `deadline` (uptime nanoseconds) passes.
    mutating func run(deadline: UInt64) -> ChildProcess.End {
        defer {
            closeInput()
            outputs.filter { $0 >= 0 }.forEach { close($0) }
        }
        while true {
            if let status = reap(WNOHANG) {
                readAvailable()
                return status
            }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                // The whole group: a wrapper script's own children die with it.
                kill(-pid, SIGKILL)
                _ = reap(0)
                return .timedOut
            }
            // Short slices: a program may exit while something it started keeps its output open.
            pollOnce(milliseconds: Int32(min(20, (deadline - now) / 1_000_000 + 1)))
        }
    }

    /// Waits for what is ready (or the slice to pass), then writes and reads what it can.
    private mutating func pollOnce(milliseconds: Int32) {
        var fds = outputs.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if stdin >= 0 { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        if stdin >= 0, fds.last?.revents ?? 0 != 0 { writeSome() }
        readAvailable()
    }

    /// Writes as much input as the socket takes; closes it when all is written or the program
    /// stopped reading (EPIPE and the like: its exit status tells what happened).
    private mutating func writeSome() {
        while stdin >= 0 {
            let count = input.withUnsafeBytes { bytes in
                send(stdin, bytes.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                written += count
                if written == input.count { closeInput() }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                if !(count < 0 && errno == EAGAIN) { closeInput() }
                return
            }
        }
    }

    /// Reads everything ready on the outputs, keeping up to `outputLimit` of each.
    private mutating func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        for index in outputs.indices where outputs[index] >= 0 {
            while true {
                let count = read(outputs[index], &buffer, buffer.count)
                if count > 0 {
                    let room = max(0, ChildProcess.outputLimit - captured[index].count)
                    captured[index].append(contentsOf: buffer[..<min(count, room)])
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    if !(count < 0 && errno == EAGAIN) {
                        close(outputs[index])
                        outputs[index] = -1
                    }
                    break
                }
            }
        }
    }

    private mutating func closeInput() {
        guard stdin >= 0 else { return }
        close(stdin)
        stdin = -1
    }

    /// The program's end when it has ended (`options` WNOHANG: nil while it runs).
    private func reap(_ options: Int32) -> ChildProcess.End? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, options)
            if result == pid { break }
            if result < 0 && errno == EINTR { continue }
            return result < 0 && errno == ECHILD ? .vanished : nil
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(status & 0x7f)
    }
}
