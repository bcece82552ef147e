import DriveEngine
import Foundation
import ScreenKit

/// The running app: owns the state, the screen and the background work, and runs the one
/// serial loop — wake on a message, reduce everything waiting, render once.
///
/// Main actor: the state and every terminal call live here. Keys go through the ``Keymap``
/// to an ``Action``, ``reduce(_:_:)`` returns ``Effect``s, the ``EffectRunner`` runs them off
/// the main actor and posts results to the ``Mailbox``; ``render(_:theme:into:)`` draws.
@MainActor
public final class App {
    /// The current state (read-only outside; tests inspect it).
    public private(set) var state: AppState
    /// The theme frames are drawn with.
    public let theme: Theme
    /// The one queue that wakes the loop.
    public let mailbox: Mailbox
    private let screen: Screen
    private let session: DriveSession
    private let runner: EffectRunner
    private var watcher: JournalWatcher?
    private var needsRender = true
    /// Keys typed while the state was loading, replayed in order once it is not (bounded).
    private var heldKeys: [Key] = []
    private static let heldKeyLimit = 256
    /// What `start` asks for besides ``AppState/startEffects``.
    private var openingEffects: [Effect] = []

    /// An app on `terminal` acting through `session`; with `merging`, opened only to merge that
    /// conflict: on its merge screen, quitting when it is written or left.
    public init(session: DriveSession, terminal: any Terminal, theme: Theme, context: AppContext,
                merging conflict: ConflictInfo? = nil) {
        self.session = session
        self.theme = theme
        self.screen = Screen(terminal: terminal)
        self.state = AppState(context: context, size: terminal.size)
        if let conflict { openingEffects = state.startMerging(conflict) }
        let mailbox = Mailbox()
        self.mailbox = mailbox
        self.runner = EffectRunner(session: session, context: context) { mailbox.post(.action($0)) }
    }

    /// Loads the first folder and draws the first frame.
    public func start() {
        perform(AppState.startEffects + openingEffects)
        renderIfNeeded()
    }

    /// Runs until the user quits: waits on the mailbox, handles every waiting message,
    /// renders once. `watchJournal` watches the change journal and the inbox, so other
    /// processes' changes and new notifications show.
    public func run(watchJournal: Bool = true) async {
        if watchJournal {
            let mailbox = mailbox
            watcher = JournalWatcher(session: session) { mailbox.post(.action($0)) }
        }
        start()
        mailbox.post(.inputReady)  // input typed before the loop started
        while !state.shouldQuit {
            var messages = await mailbox.take()
            messages += mailbox.drain()
            for message in messages where !state.shouldQuit {
                handle(message)
            }
            renderIfNeeded()
        }
        watcher?.stop()
    }

    /// Handles one message: reads the terminal's input, or reduces an action.
    public func handle(_ message: Message) {
        switch message {
        case .inputReady:
            while !state.shouldQuit, let event = screen.readEvent(timeoutMs: 0) {
                handle(event)
            }
        case .action(let action):
            dispatch(action)
        }
    }

    /// Turns a terminal event into an action and reduces it.
    public func handle(_ event: InputEvent) {
        switch event {
        case .key(let key):
            if state.isLoading && key != .ctrl("c") {
                if heldKeys.count < Self.heldKeyLimit { heldKeys.append(key) }
                return
            }
            handle(key)
        case .resize(let width, let height):
            dispatch(.resized(TerminalSize(width: width, height: height)))
        case .mouse(let mouse):
            switch mouse.action {
            case .wheelUp: dispatch(.wheel(-3))
            case .wheelDown: dispatch(.wheel(3))
            case .click(.left), .press(.left): dispatch(.click(row: mouse.row, column: mouse.column))
            case .doubleClick(.left):
                dispatch(.click(row: mouse.row, column: mouse.column))
                dispatch(Keymap.action(for: .enter, in: state))
            default: break
            }
        }
    }

    /// Reduces `action` and starts the effects it asks for; then replays keys held while
    /// loading, if what they wait for has arrived.
    public func dispatch(_ action: Action) {
        perform(reduce(&state, action))
        needsRender = true
        while !state.isLoading && !heldKeys.isEmpty && !state.shouldQuit {
            handle(heldKeys.removeFirst())
        }
    }

    private func handle(_ key: Key) {
        let action = Keymap.action(for: key, in: state)
        if action == .redraw { screen.invalidate() }
        if action == .suspend { suspendToShell() }
        dispatch(action)
    }

    /// Draws the state if anything changed since the last frame.
    public func renderIfNeeded() {
        guard needsRender else { return }
        needsRender = false
        var frame = screen.makeFrame()
        if frame.size != state.size {
            // The terminal changed size before its resize event arrived: follow it now.
            perform(reduce(&state, .resized(frame.size)))
        }
        render(state, theme: theme, into: &frame)
        screen.present(frame)
    }

    /// Handles the messages waiting, if any, and renders; returns how many there were.
    /// For benchmarks and tests that watch frames come one by one.
    @discardableResult
    public func pump() -> Int {
        let messages = mailbox.drain()
        for message in messages { handle(message) }
        renderIfNeeded()
        return messages.count
    }

    /// Handles every message waiting and renders, until background work is done and no
    /// message is left, or `timeout` passes. For tests; returns whether it settled.
    @discardableResult
    public func settle(timeout: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            // The runner posts a result before it counts the effect done: idle and an empty
            // mailbox together mean nothing is left.
            if pump() == 0 && runner.isIdle {
                if pump() == 0 { return true }
                continue
            }
            // Blocks the main thread rather than suspending: a wake-up from `Task.sleep` needs
            // a thread of the cooperative pool (two on this machine), which tests blocked in
            // synchronous waits can hold for many seconds. Effects post to the mailbox from
            // their own queues, so nothing here needs the main actor to be free.
            usleep(2_000)
        }
        return false
    }

    /// Ctrl-Z: hands the terminal back and stops until the shell continues the process
    /// (raw mode delivers Ctrl-Z as a key, so the app stops itself). Only on a real terminal.
    private func suspendToShell() {
        guard screen.terminal is NcursesTerminal else { return }
        screen.suspend()
        kill(getpid(), SIGTSTP)
        screen.resume()
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            if case .editText(let conflict, let hunk, let name, let text) = effect {
                editInEditor(conflict: conflict, hunk: hunk, name: name, text: text)
            } else {
                runner.run(effect)
            }
        }
    }

    /// Hands the terminal to `$EDITOR` on `text` and posts what was saved. Blocks the loop while
    /// the editor runs: the screen is the editor's meanwhile, and results queue in the mailbox.
    private func editInEditor(conflict: Int64, hunk: Int, name: String, text: Data) {
        screen.suspend()
        let edited = ExternalEditor.edit(text, name: name)
        screen.resume()
        mailbox.post(.action(.hunkEdited(conflict: conflict, hunk: hunk, edited)))
    }
}
