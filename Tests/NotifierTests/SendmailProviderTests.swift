import Foundation
import Notifier
import Testing

/// The sendmail provider against real commands (sh scripts standing in for a mail agent): how
/// the command is split and run, what it is given, and what its exit status and failures mean.
@Suite struct SendmailProviderTests {
    let folder: TempFolder

    init() throws {
        folder = try TempFolder()
    }

    /// A provider configured with `settings` (lines of `[email]`), as if read from a file.
    func provider(_ settings: String) throws -> SendmailProvider {
        SendmailProvider(configuration: try NotifierConfiguration.parse("[email]\n" + settings, source: "/etc/cairn/notify.conf"))
    }

    func message(address: String = "minji@example.test", body: String = "민지 님이 보고서.txt를 편집했습니다.") -> OutgoingMessage {
        OutgoingMessage(id: 7, channel: .email, address: address, key: "put:42:v3", kind: "put", recipientId: 1, recipientName: "김민지",
                        title: "보고서.txt 편집됨", body: body, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func theCommandGetsTheMessageWithLFLineEnds() throws {
        let sendmail = try provider("command = sh -c 'cat > \(folder.file("got.eml"))'\nfrom = Cairn <cairn@drive.test>")
        let answer = sendmail.deliver(message())
        #expect(answer == ProviderAnswer(.delivered, status: "exit 0"))
        let text = try folder.read("got.eml")
        #expect(!text.contains("\r"))
        let reader = MailReader(text)
        #expect(reader.header("Subject") == "보고서.txt 편집됨")
        #expect(reader.header("From") == "Cairn <cairn@drive.test>")
        #expect(reader.header("List-Unsubscribe") == "<mailto:cairn@drive.test?subject=unsubscribe>")
        #expect(reader.body == "민지 님이 보고서.txt를 편집했습니다.")
    }

    @Test func commandsSplitLikeAShellWithoutRunningOne() throws {
        let out = folder.file("words")
        let sendmail = try provider(#"command = sh -c 'printf "[%s]" "$@" > \#(out)' sh 'a  b' "c \"d\" \$e" f\ g '' $HOME"#)
        #expect(sendmail.deliver(message()).outcome == .delivered)
        #expect(try folder.read("words") == #"[a  b][c "d" $e][f g][][$HOME]"#)

        let unclosed = try provider("command = sendmail -t 'oops").deliver(message())
        #expect(unclosed.outcome == .configuration)
        #expect(unclosed.detail.contains("unclosed quote") && unclosed.detail.contains("'command' in [email] of /etc/cairn/notify.conf"))
    }

    @Test func exitStatusesMeanWhatSysexitsSay() throws {
        let expected: [(Int32, DeliveryOutcome)] = [
            (0, .delivered), (65, .drop), (67, .addressInvalid), (68, .addressInvalid), (69, .retry), (70, .retry),
            (71, .retry), (74, .retry), (75, .retry), (1, .retry), (78, .retry),
        ]
        for (status, outcome) in expected {
            let sendmail = try provider("command = sh -c 'cat > /dev/null; echo; echo \"mta: status \(status)\" >&2; exit \(status)'")
            let answer = sendmail.deliver(message())
            #expect(answer.outcome == outcome, "exit \(status)")
            #expect(answer.status == "exit \(status)")
            if status != 0 {
                #expect(answer.detail.hasPrefix("mta: status \(status) (exit status \(status)"), "\(answer.detail)")
            }
        }
        #expect(try provider("command = sh -c 'exit 75'").deliver(message()).detail == "(exit status 75 EX_TEMPFAIL)")
    }

    @Test func aHungCommandIsKilledWithWhatItStartedAtTheTimeout() throws {
        let pidFile = folder.file("sleeper.pid")
        let sendmail = try provider("command = sh -c 'sleep 30 & echo $! > \(pidFile); wait'\ntimeout = 0.5")
        let started = Date()
        let answer = sendmail.deliver(message())
        #expect(answer.outcome == .retry)
        #expect(answer.status == "timeout")
        #expect(Date().timeIntervalSince(started) < 5)
        let sleeper = try folder.read("sleeper.pid").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(waitUntil(seconds: 5) { isGone(pid: sleeper) }, "the command's own child \(sleeper) still runs")
    }

    @Test func aCommandStartedFromAWorkerThreadHasNoSignalBlockedOrIgnored() throws {
        // Dispatch's worker threads (where providers run) block SIGTERM, SIGINT and most others.
        // awk reports its own masks (a shell would not do: dash unblocks signals when it starts).
        let sendmail = try provider("command = awk '/^Sig(Blk|Ign)/ { print > \"\(folder.file("signals"))\" }' /proc/self/status")
        let message = message()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { _ = sendmail.deliver(message) }
        group.wait()
        // Bit n-1 stands for signal n; 32 and up are glibc's own (SIGCANCEL, SIGSETXID), out of posix_spawn's reach.
        let masks = try folder.read("signals").split(separator: "\n").compactMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
        #expect(masks.count == 2 && masks.allSatisfy { $0 & 0x7fff_ffff == 0 }, "\(masks.map { String($0, radix: 16) })")
    }

    @Test func aCommandThatReadsNothingIsAnAnswerNotACrash() throws {
        // Far more than a socket buffer holds: writing it fails (EPIPE) once the command exits.
        let big = String(repeating: "ㄱ", count: 2_000_000)
        let answer = try provider("command = sh -c 'echo \"mta: refused\" >&2; exit 75'").deliver(message(body: big))
        #expect(answer == ProviderAnswer(.retry, status: "exit 75", detail: "mta: refused (exit status 75 EX_TEMPFAIL)"))
    }

    @Test func aCommandThatCannotRunIsAConfigurationError() throws {
        let notExecutable = try folder.write("sendmail", "#!/bin/sh\nexit 0\n")
        let answer = try provider("command = \(notExecutable) -t -i").deliver(message())
        #expect(answer.outcome == .configuration)
        #expect(answer.status == "cannot run")
        #expect(answer.detail.contains("'\(notExecutable)'") && answer.detail.contains("Permission denied"))
        #expect(answer.detail.contains("set 'command' in [email] of /etc/cairn/notify.conf"))
    }

    @Test func anAddressThatIsNotOneIsRefusedWithoutRunningTheCommand() throws {
        let sendmail = try provider("command = touch \(folder.file("ran"))")
        let answer = sendmail.deliver(message(address: "minji@example.test\nBcc: victim@example.test"))
        #expect(answer.outcome == .addressInvalid)
        #expect(!FileManager.default.fileExists(atPath: folder.file("ran")))
    }

    @Test func defaultsNeedNoSettings() throws {
        let sendmail = SendmailProvider(configuration: NotifierConfiguration())
        #expect(sendmail.command == "sendmail -t -i")
        #expect(sendmail.from.hasPrefix("Cairn <cairn@") && sendmail.from.hasSuffix(">"))
        let address = sendmail.from.dropFirst("Cairn <".count).dropLast()
        #expect(sendmail.unsubscribe == "mailto:\(address)?subject=unsubscribe")
        #expect(sendmail.timeout == 30)
        #expect(sendmail.channel == .email)
    }
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
func isGone(pid: String) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
}

/// Polls `condition` every 20 ms for up to `seconds`; whether it became true.
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}
