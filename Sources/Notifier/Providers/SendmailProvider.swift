#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Sends email through the machine's mail transfer agent: runs a sendmail-compatible command
/// (Postfix's or Exim's `sendmail`, `msmtp`, `nullmailer`) and writes the message to it; the
/// agent queues and relays it, so an SMTP server's troubles are its business, not ours.
///
/// ```
/// [email]
/// command = sendmail -t -i           # recipients from To:; a lone "." does not end the message
/// from = Cairn <cairn@example.com>
/// unsubscribe = https://drive.example.com/settings/notifications
/// timeout = 30                       # seconds, then the command is killed and the message retried
/// ```
///
/// The command's exit status (sysexits.h) is the answer: 0 delivered; 67 EX_NOUSER and 68
/// EX_NOHOST an invalid address; 65 EX_DATAERR dropped; any other status retried. A command that
/// cannot be started is a configuration error.
public struct SendmailProvider: NotificationProvider {
    public let channel = Channel.email
    /// The command as configured (for messages).
    public let command: String
    /// Its words; nil when a quote is left open.
    let words: [String]?
    public let from: String
    public let unsubscribe: String
    public let timeout: Double
    /// Where the settings came from, for messages that say what to fix.
    let source: String

    public init(configuration: NotifierConfiguration) {
        command = configuration.value("email", "command") ?? "sendmail -t -i"
        words = ShellWords.split(command).flatMap { $0.isEmpty ? nil : $0 }
        from = configuration.value("email", "from") ?? "Cairn <cairn@\(Self.hostName())>"
        unsubscribe = configuration.value("email", "unsubscribe")
            ?? "mailto:\(EmailMessage.splitMailbox(from).address)?subject=unsubscribe"
        timeout = configuration.value("email", "timeout").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 30
        source = configuration.source ?? "the notification config"
    }

    public func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
        guard let words else {
            return ProviderAnswer(.configuration, status: "bad command",
                                  detail: "command '\(command)' has an unclosed quote: fix 'command' in [email] of \(source)")
        }
        guard EmailMessage.isAddress(message.address) else {
            return ProviderAnswer(.addressInvalid, status: "bad address", detail: "'\(message.address)' is not an email address")
        }
        // LF, not CRLF: sendmail -t reads a message in the local text format, lines ended by LF,
        // and turns each LF into CRLF itself on the wire; given CRLF, some agents (Exim, older
        // Postfix) keep the CR and send CR CR LF, a bare CR that receivers reject or mangle.
        let text = EmailMessage(message, from: from, unsubscribe: unsubscribe).text(newline: "\n")
        do {
            let run = try ChildProcess.run(words, input: Data(text.utf8), timeout: timeout)
            return Self.answer(run, timeout: timeout)
        } catch {
            return ProviderAnswer(.configuration, status: "cannot run",
                                  detail: "cannot run '\(words[0])' (\(String(cString: strerror(error.errno)))): "
                                      + "set 'command' in [email] of \(source) to a sendmail-compatible command")
        }
    }

    /// The answer for how the command ended: its exit status as sysexits.h means it, and its
    /// first line of complaint.
    static func answer(_ run: ChildProcess, timeout: Double) -> ProviderAnswer {
        let said = firstLine(run.stderr) ?? firstLine(run.stdout)
        switch run.end {
        case .timedOut:
            return ProviderAnswer(.retry, status: "timeout", detail: "killed after \(timeout) s" + (said.map { ": " + $0 } ?? ""))
        case .vanished:
            // Most likely it sent the message; but unknown is not delivered: at least once, never lost.
            return ProviderAnswer(.retry, status: "unknown",
                                  detail: "the command's exit status was lost: this process reaps its children elsewhere")
        case .signaled(let signal):
            return ProviderAnswer(.retry, status: "signal \(signal)", detail: said ?? "killed by signal \(signal)")
        case .exited(0):
            return ProviderAnswer(.delivered, status: "exit 0", detail: said ?? "")
        case .exited(let status):
            let name = exitNames[status].map { " " + $0 } ?? ""
            return ProviderAnswer(outcome(exitStatus: status), status: "exit \(status)",
                                  detail: (said.map { $0 + " " } ?? "") + "(exit status \(status)\(name))")
        }
    }

    /// What a failing exit status means for the message (sysexits.h). Only the statuses that say
    /// this message can never go are final; everything else may pass (a full queue, a restarting
    /// agent) and is retried.
    static func outcome(exitStatus: Int32) -> DeliveryOutcome {
        switch exitStatus {
        case 67, 68: .addressInvalid
        case 65: .drop
        default: .retry
        }
    }

    /// sysexits.h's names, for the log.
    static let exitNames: [Int32: String] = [
        64: "EX_USAGE", 65: "EX_DATAERR", 66: "EX_NOINPUT", 67: "EX_NOUSER", 68: "EX_NOHOST", 69: "EX_UNAVAILABLE",
        70: "EX_SOFTWARE", 71: "EX_OSERR", 72: "EX_OSFILE", 73: "EX_CANTCREAT", 74: "EX_IOERR", 75: "EX_TEMPFAIL",
        76: "EX_PROTOCOL", 77: "EX_NOPERM", 78: "EX_CONFIG",
    ]

    /// The first line of `output` that is not blank, or nil.
    static func firstLine(_ output: Data) -> String? {
        String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// This machine's name, for the default sender (`cairn@HOST`); "localhost" when it has none.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
