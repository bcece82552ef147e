#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A program running in a pane of a private tmux server, driven like a user at a terminal: the
/// end-to-end harness for the full-screen UI (after fzf's `test/test_go.rb` harness).
///
/// Each session has its own server (`tmux -L NAME -f /dev/null`), so tests run in parallel and no
/// user config leaks in. The pane is exactly `width`×`height` (no status line), `TERM` is
/// `tmux-256color`, `LANG` is `C.UTF-8` and `SWIFT_BACKTRACE=interactive=no` (a crash must not
/// leave the pane waiting on the backtracer). The server is killed when the value is released.
///
/// The program runs under a small `sh` that records its exit status in a file and then waits
/// silently, so after the program exits the pane shows exactly what it left on the terminal.
/// (tmux could report the status of the pane's own process, but with libutempter it may lose the
/// SIGCHLD and never reap it, and its "Pane is dead" line scrolls the screen.)
///
/// Waiting polls the screen with a timeout, never sleeps blindly; a timeout throws an error that
/// shows the screen. Owned by one test (not `Sendable`).
final class TmuxSession {
    /// The tmux server's socket name (`-L`).
    let socket: String
    private(set) var width: Int
    private(set) var height: Int
    private let tmux: URL
    private let environment: [String: String]
    /// Where tmux's output goes (files, not pipes: a capture may be larger than a pipe holds).
    private let outputs: URL
    /// Where the wrapper writes the program's exit status.
    private let statusFile: URL
    /// The server and the pane's process group, to kill them if tmux itself no longer answers.
    private var serverPID: pid_t = 0
    private var programPID: pid_t = 0
    private var socketPath = ""
    private var stopped = false
    private static let target = "e2e"
    private static let counter = Counter()

    // MARK: Errors

    /// tmux is not installed where the tests run.
    struct TmuxMissing: Error, CustomStringConvertible {
        var description: String {
            "tmux is not installed (no 'tmux' on PATH): the end-to-end tests need it. "
                + "Install it, e.g. 'apt-get install tmux' (the tmux-256color terminfo comes with ncurses-base)"
        }
    }

    /// A tmux command failed.
    struct CommandFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var ending: ChildProcess.Ending
        var stderr: String
        var description: String { "tmux \(arguments.joined(separator: " ")) ended \(ending): \(stderr)" }
    }

    /// What a test waited for did not happen in time; shows the screen as it was.
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var seconds: Double
        var screen: String
        var description: String {
            let rule = String(repeating: "─", count: 40)
            return "timed out after \(seconds) s waiting for \(waitingFor); the screen was:\n\(rule)\n\(screen)\n\(rule)"
        }
    }

    // MARK: Starting and stopping

    /// Starts `command` (an executable and its arguments, not a shell line) in a new
    /// `width`×`height` pane, with `environment` added to this process's environment.
    init(_ command: [String], width: Int = 100, height: Int = 30, environment: [String: String] = [:],
         directory: URL? = nil) throws {
        guard let tmux = Self.findTmux() else { throw TmuxMissing() }
        self.tmux = tmux
        self.width = width
        self.height = height
        socket = "cairn-e2e-\(getpid())-\(Self.counter.next())"
        var merged = ProcessInfo.processInfo.environment
        for name in ["TMUX", "TMUX_PANE"] { merged[name] = nil }
        merged["LANG"] = "C.UTF-8"
        merged["LC_ALL"] = nil
        merged["SWIFT_BACKTRACE"] = "interactive=no"
        for (name, value) in environment { merged[name] = value }
        self.environment = merged
        outputs = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        statusFile = outputs.appendingPathComponent("status")
        // The options are set before the pane starts, in one command list; the server gets the
        // environment of the process that starts it and hands it to the pane.
        var start = ["start-server", ";",
                     "set-option", "-g", "default-terminal", "tmux-256color", ";",
                     "set-option", "-g", "remain-on-exit", "on", ";",
                     "set-option", "-g", "status", "off", ";",
                     "set-option", "-g", "escape-time", "0", ";",
                     "new-session", "-d", "-s", Self.target, "-x", "\(width)", "-y", "\(height)"]
        if let directory { start += ["-c", directory.path] }
        try run(start + ["/bin/sh", "-c", Self.wrapper, "cairn-e2e", statusFile.path] + command)
        let pids = try query("#{pid} #{pane_pid}").split(separator: " ").compactMap { pid_t($0) }
        if pids.count == 2 { (serverPID, programPID) = (pids[0], pids[1]) }
        socketPath = try query("#{socket_path}")
    }

    /// Runs "$@", writes its exit status (128 + N after signal N) to the file "$1", then waits
    /// without a word. A trap, unlike an ignored signal, is not inherited: Ctrl-C reaches the
    /// program, and the shell writes the status after it.
    private static let wrapper = """
        status=$1; shift
        trap : INT QUIT
        "$@"
        echo $? > "$status.partial" && mv "$status.partial" "$status"
        exec sleep 2147483647
        """

    /// Starts the built `cairn` with `arguments` (found as the CLI tests find it).
    static func cairn(_ arguments: [String], width: Int = 100, height: Int = 30, environment: [String: String] = [:],
                      directory: URL? = nil) throws -> TmuxSession {
        try TmuxSession([try CairnBinary.url().path] + arguments, width: width, height: height,
                        environment: environment, directory: directory)
    }

    deinit { kill() }

    /// Stops the server and everything in it (with SIGKILL if tmux does not answer).
    func kill() {
        guard !stopped else { return }
        stopped = true
        _ = try? run(["kill-server"], allowFailure: true, timeout: 5)
        let deadline = Date().addingTimeInterval(2)
        while Self.isRunning(serverPID) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if Self.isRunning(programPID) { _ = Glibc.kill(-programPID, SIGKILL) } // its process group
        if Self.isRunning(serverPID) { _ = Glibc.kill(serverPID, SIGKILL) }
        // tmux 3.3 leaves its socket behind on kill-server.
        if !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
        try? FileManager.default.removeItem(at: outputs)
    }

    // MARK: Keys

    /// Sends tmux key names: "Enter", "Escape", "Up", "PageDown", "C-c", "F1", "q"…
    func sendKeys(_ keys: String...) throws {
        try sendKeys(keys)
    }

    /// Sends the tmux key names in `keys`, in order, in one command.
    func sendKeys(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try run(["send-keys", "-t", Self.target] + keys)
    }

    /// Types `text` literally (any Unicode, e.g. Hangul), as if pasted key by key.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", Self.target, "-l", "--", text])
    }

    // MARK: The screen

    /// The visible screen, one line per row (trailing blanks trimmed); with `colours`, with the
    /// SGR escape sequences that colour it.
    func capture(colours: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", Self.target] + (colours ? ["-e"] : []))
    }

    /// Everything the pane showed: the lines scrolled off the top, then the screen.
    func transcript() throws -> String {
        try run(["capture-pane", "-p", "-S", "-", "-E", "-", "-t", Self.target])
    }

    /// Waits until the screen contains `text`; returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        try waitFor("\(text.debugDescription) on the screen", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until `condition` holds for the screen and the screen is a whole frame; returns it.
    ///
    /// A capture can catch a frame half written (the program writes it in several chunks, most
    /// of all on a loaded machine), so a screen counts only when a second capture 50 ms later
    /// shows the same.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, colours: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = try capture(colours: colours)
        while true {
            if condition(screen) {
                Thread.sleep(forTimeInterval: 0.05)
                let again = try capture(colours: colours)
                if again == screen { return screen }
                screen = again
                continue
            }
            guard Date() < deadline else { throw Timeout(waitingFor: what, seconds: timeout, screen: screen) }
            Thread.sleep(forTimeInterval: 0.02)
            screen = try capture(colours: colours)
        }
    }

    /// Waits until three captures 100 ms apart are equal (the UI has settled); returns the screen.
    @discardableResult
    func waitUntilStable(timeout: Double = 10, colours: Bool = false) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screens = [try capture(colours: colours)]
        while screens.count < 3 || Set(screens.suffix(3)).count > 1 {
            guard Date() < deadline else {
                throw Timeout(waitingFor: "the screen to settle", seconds: timeout, screen: screens.last ?? "")
            }
            Thread.sleep(forTimeInterval: 0.1)
            screens.append(try capture(colours: colours))
        }
        return screens[screens.count - 1]
    }

    /// Resizes the window (and so the pane) to `width`×`height`; the program gets SIGWINCH.
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", Self.target, "-x", "\(width)", "-y", "\(height)"])
        self.width = width
        self.height = height
    }

    /// The pane's size as tmux reports it, "WxH".
    func paneSize() throws -> String {
        try query("#{pane_width}x#{pane_height}")
    }

    // MARK: The program

    /// The program's exit status once it has ended (128 + N when signal N ended it, as a shell
    /// reports it), nil while it runs.
    func exitStatus() throws -> Int32? {
        guard let text = try? String(contentsOf: statusFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits for the program to end; returns its exit status.
    @discardableResult
    func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = try exitStatus() { return status }
            guard Date() < deadline else {
                throw Timeout(waitingFor: "the program to exit", seconds: timeout, screen: try capture())
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The terminal modes a full-screen program switches on and must switch off when it ends.
    struct Modes: Equatable, CustomStringConvertible {
        var alternateScreen: Bool
        var cursorVisible: Bool
        var mouseReporting: Bool
        var keypad: Bool

        /// The modes of a terminal nothing has touched.
        static let plain = Modes(alternateScreen: false, cursorVisible: true, mouseReporting: false, keypad: false)

        var description: String {
            "alternate screen \(alternateScreen), cursor visible \(cursorVisible), mouse \(mouseReporting), keypad \(keypad)"
        }
    }

    /// The pane's terminal modes now.
    func modes() throws -> Modes {
        let flags = try query("#{alternate_on}#{cursor_flag}#{mouse_any_flag}#{keypad_flag}").map { $0 == "1" }
        guard flags.count == 4 else { throw CommandFailed(arguments: ["display-message"], ending: .exited(0), stderr: "unexpected flags") }
        return Modes(alternateScreen: flags[0], cursorVisible: flags[1], mouseReporting: flags[2], keypad: flags[3])
    }

    /// A tmux format (`display-message -p`) evaluated for the pane.
    func query(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", Self.target, format]).trimmingCharacters(in: .newlines)
    }

    // MARK: Running tmux

    /// Runs `tmux -L socket -f /dev/null arguments…`; returns its stdout.
    @discardableResult
    private func run(_ arguments: [String], allowFailure: Bool = false, timeout: Double = 30) throws -> String {
        let name = UUID().uuidString
        let stdout = outputs.appendingPathComponent(name + ".out"), stderr = outputs.appendingPathComponent(name + ".err")
        defer {
            try? FileManager.default.removeItem(at: stdout)
            try? FileManager.default.removeItem(at: stderr)
        }
        let ending = try ChildProcess.run(tmux.path, ["-L", socket, "-f", "/dev/null", "-u"] + arguments, environment: environment,
                                          stdout: stdout.path, stderr: stderr.path, timeout: timeout)
        guard ending == .exited(0) || allowFailure else {
            let message = String(decoding: (try? Data(contentsOf: stderr)) ?? Data(), as: UTF8.self)
            throw CommandFailed(arguments: arguments, ending: ending, stderr: message)
        }
        return String(decoding: (try? Data(contentsOf: stdout)) ?? Data(), as: UTF8.self)
    }

    /// Whether process `pid` exists and has not ended (a zombie has ended: the daemonised
    /// server's parent may be slow to reap it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, Glibc.kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: end)...].hasPrefix(" Z")
    }

    /// `tmux` on PATH (or in the usual places), or nil.
    static func findTmux() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        return nil
    }

    /// Numbers for socket names, unique within this process. Thread-safe via `lock`.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0 // guarded by `lock`

        func next() -> Int {
            lock.withLock {
                value += 1
                return value
            }
        }
    }
}
