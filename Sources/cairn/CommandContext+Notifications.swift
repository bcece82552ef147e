import DriveEngine
import Foundation
import Notifier
import NotifierHTTP

extension CommandContext {
    /// `$XDG_CONFIG_HOME/cairn`, else `~/.config/cairn`.
    var configFolder: URL {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("cairn") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/cairn")
    }

    /// The notification config: `$CAIRN_NOTIFY_CONFIG`, else `notify.conf` in the config folder
    /// (absent: defaults, and only the inbox, email through `sendmail -t -i` and webhooks work).
    func notifierConfiguration() throws -> NotifierConfiguration {
        let path = environment["CAIRN_NOTIFY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? configFolder.appendingPathComponent("notify.conf").path
        return try NotifierConfiguration.load(path: path)
    }

    /// The providers the config sets up, for this process's workers.
    func providers(_ drive: Drive) throws -> [any NotificationProvider] {
        [SendmailProvider(configuration: drive.notifier.configuration)] + (try HTTPProviders.make(drive.notifier.configuration))
    }

    /// The notification service of `drive` with this config's providers.
    func notifications(_ drive: Drive) throws -> NotificationService {
        NotificationService(drive: drive, providers: try providers(drive))
    }

    /// Fans out this command's changes and delivers them for at most `[delivery] cli-wait`
    /// seconds; what is still due then stays queued, and one line says so. Never fails the command.
    func settleNotifications() {
        guard let drive = opened.drive else { return }
        do {
            let service = try notifications(drive)
            let report = try service.settle(timeout: drive.notifier.configuration.cliWait)
            if report.stillQueued > 0 {
                Output.error("cairn: \(report.stillQueued) notification\(report.stillQueued == 1 ? "" : "s") not delivered yet; "
                             + "left queued for the next 'cairn notify run' or cairn window (see 'cairn notify status')")
            }
        } catch {
            Output.error("cairn: notifications: \(error) (the change itself is saved; see 'cairn notify status')")
        }
    }
}
