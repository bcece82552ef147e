import CNcurses
import Dispatch
import Foundation

extension NcursesTerminal {
    /// Calls `handler` on the main actor whenever input or a resize may be waiting, so an
    /// app can sleep in its own event loop instead of blocking the main thread in
    /// ``readEvent(timeoutMs:)``. In the handler, call `readEvent(timeoutMs: 0)` until it
    /// returns `nil`: ncurses buffers input, so one notification can stand for many events.
    ///
    /// Replaces an earlier handler; ``stopInputNotifications()`` or ``shutdown()`` ends it.
    public func startInputNotifications(_ handler: @escaping @MainActor @Sendable () -> Void) {
        inputNotifier?.cancel()
        inputNotifier = InputNotifier(winchDescriptor: cn_install_winch_pipe(), handler: handler)
    }

    /// Stops the notifications begun by ``startInputNotifications(_:)``.
    public func stopInputNotifications() {
        inputNotifier?.cancel()
        inputNotifier = nil
    }
}

/// Watches standard input and the SIGWINCH pipe with Dispatch read sources on a background
/// queue and hops to the main actor to notify.
///
/// The stdin source is level-triggered, so it is suspended from the moment it fires until
/// the main actor has run the handler (which reads the input); it is always resumed, even
/// after cancellation, because libdispatch traps when a suspended source is released.
@MainActor
final class InputNotifier {
    private var isCancelled = false
    private let sources: [SourceBox]

    init(winchDescriptor: Int32, handler: @escaping @MainActor @Sendable () -> Void) {
        let queue = DispatchQueue(label: "ScreenKit.input")
        var sources: [SourceBox] = []

        let input = SourceBox(DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: queue))
        sources.append(input)

        var winch: SourceBox?
        if winchDescriptor >= 0 {
            winch = SourceBox(DispatchSource.makeReadSource(fileDescriptor: winchDescriptor, queue: queue))
            sources.append(winch!)
        }
        self.sources = sources

        // PLATFORM.md: closures handed to a background source must be @Sendable, or the
        // runtime traps on the queue-isolation check.
        input.source.setEventHandler { @Sendable [weak self] in
            input.source.suspend()
            Task { @MainActor in
                if let self, !self.isCancelled { handler() }
                input.source.resume()
            }
        }
        winch?.source.setEventHandler { @Sendable [weak self] in
            var scratch = [UInt8](repeating: 0, count: 64)
            while read(winchDescriptor, &scratch, scratch.count) > 0 {}
            Task { @MainActor in
                if let self, !self.isCancelled { handler() }
            }
        }
        for box in sources { box.source.resume() }
    }

    /// Stops notifying; a notification already under way is dropped.
    func cancel() {
        guard !isCancelled else { return }
        isCancelled = true
        for box in sources { box.source.cancel() }
    }
}

/// A dispatch source shared between the background queue and the main actor. Safe to send:
/// libdispatch serialises every operation on a source internally.
private final class SourceBox: @unchecked Sendable {
    let source: DispatchSourceRead

    init(_ source: DispatchSourceRead) {
        self.source = source
    }
}
