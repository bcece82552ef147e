import Foundation
import Testing

/// The tmux harness itself: it starts a program in a pane of the given size, sees its output,
/// types Hangul and keys, resizes and reads the exit status. The UI's own end-to-end tests build
/// on it.
@Suite struct TmuxSessionTests {
    @Test func cairnHelpShowsInThePane() throws {
        let session = try TmuxSession.cairn(["--help"], width: 100, height: 60)
        let screen = try session.waitFor("USAGE: cairn")
        #expect(screen.contains("SUBCOMMANDS:"), "\(screen)")
        let status = try session.waitForExit()
        #expect(status == 0)
        #expect(try session.transcript().hasPrefix("OVERVIEW: "))
        #expect(try session.paneSize() == "100x60")
    }

    @Test func typesHangulSendsKeysAndResizes() throws {
        let session = try TmuxSession(["/bin/cat"], width: 80, height: 24)
        try session.type("안녕, Cairn")
        try session.sendKeys("Enter")
        let screen = try session.waitFor("the line typed and its copy") { screen in
            screen.components(separatedBy: "\n").filter { $0 == "안녕, Cairn" }.count == 2
        }
        #expect(screen.hasPrefix("안녕, Cairn\n"), "\(screen)") // the echo of the terminal, then cat's copy

        try session.resize(width: 120, height: 40)
        #expect(try session.paneSize() == "120x40")
        try session.resize(width: 60, height: 15)
        #expect(try session.paneSize() == "60x15")
        #expect(try session.waitUntilStable().hasPrefix("안녕, Cairn"))

        #expect(try session.exitStatus() == nil)
        try session.sendKeys("C-d")
        let status = try session.waitForExit()
        #expect(status == 0)
    }

    @Test func paneEnvironmentIsSetForTheUI() throws {
        let script = "for name in TERM LANG SWIFT_BACKTRACE CAIRN_STORE; do printenv \"$name\" | sed \"s|^|$name=|\"; done"
        let session = try TmuxSession(["/bin/sh", "-c", script], environment: ["CAIRN_STORE": "/tmp/엉뚱한 곳"])
        let status = try session.waitForExit()
        #expect(status == 0)
        let screen = try session.transcript()
        for line in ["TERM=tmux-256color", "LANG=C.UTF-8", "SWIFT_BACKTRACE=interactive=no", "CAIRN_STORE=/tmp/엉뚱한 곳"] {
            #expect(screen.contains(line + "\n"), "\(screen)")
        }
    }

    /// The program gets signals: the harness does not hand it the test thread's blocked mask.
    @Test func ctrlCReachesTheProgram() throws {
        let session = try TmuxSession(["/bin/sh", "-c", "grep SigBlk /proc/self/status 2>/dev/null; echo ready; exec cat"])
        let screen = try session.waitFor("ready")
        #if os(Linux)
        #expect(screen.contains("SigBlk:") && screen.contains("0000000000000000"), "\(screen)")
        #endif
        try session.sendKeys("C-c")
        let status = try session.waitForExit()
        #expect(status == 128 + SIGINT)
    }

    /// What a "terminal restored" check reads: the modes a full-screen program sets and clears.
    @Test func readsTerminalModes() throws {
        let script = #"printf '\033[?1049h\033[?25l\033[?1000h\033[?1h\033=full screen\n'; read line; printf '\033[?1000l\033[?1l\033>\033[?25h\033[?1049l'"#
        let session = try TmuxSession(["/bin/sh", "-c", script])
        try session.waitFor("full screen")
        #expect(try session.modes() == TmuxSession.Modes(alternateScreen: true, cursorVisible: false, mouseReporting: true, keypad: true))
        try session.sendKeys("Enter")
        #expect(try session.waitForExit() == 0)
        #expect(try session.modes() == .plain)
        #expect(try session.capture().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
