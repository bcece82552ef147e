import ArgumentParser
import DriveEngine
import Foundation
import Notifier

/// `cairn user token …`: a user's push device tokens (iOS → APNs, Android → FCM).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Add, list and remove a user's push device tokens.",
        subcommands: [Add.self, ListTokens.self, Remove.self], defaultSubcommand: ListTokens.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a push token (APNs: 64 hex digits; FCM: the registration token).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Option(help: "ios (APNs) or android (FCM).") var platform: PushPlatform
        @Argument(help: "The device token.") var token: String

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let added = try drive.notifier.addPushToken(token, platform: platform, for: try drive.user(named: user).id!)
                Output.line("\(Output.escaped(user)): push token \(added.id) added (\(platform.rawValue))")
            }
        }
    }

    struct ListTokens: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a user's push tokens.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                try AddressList.print(try drive.notifier.registeredAddresses(for: try drive.user(named: user).id!, channel: .push), json: json)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a push token (by the token or its number).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Argument(help: "The token, or its number from 'list'.") var token: String

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                try drive.notifier.removeAddress(token, channel: .push, for: try drive.user(named: user).id!)
                Output.line("\(Output.escaped(user)): push token removed")
            }
        }
    }
}

/// `cairn user webhook …`: URLs that get a signed POST for each of a user's notifications.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Add, list and remove a user's webhooks (signed with Standard Webhooks headers).",
        subcommands: [Add.self, ListHooks.self, Remove.self], defaultSubcommand: ListHooks.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a webhook URL; prints the secret the receiver verifies signatures with.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Argument(help: "An http(s) URL.") var url: String

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let added = try drive.notifier.addWebhook(url, for: try drive.user(named: user).id!)
                Output.line("\(Output.escaped(user)): webhook \(added.id) added; signing secret \(added.secret ?? "")")
            }
        }
    }

    struct ListHooks: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a user's webhooks.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                try AddressList.print(try drive.notifier.registeredAddresses(for: try drive.user(named: user).id!, channel: .webhook), json: json)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a webhook (by URL or number).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var user: String
        @Argument(help: "The URL, or its number from 'list'.") var url: String

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                try drive.notifier.removeAddress(url, channel: .webhook, for: try drive.user(named: user).id!)
                Output.line("\(Output.escaped(user)): webhook removed")
            }
        }
    }
}

enum AddressList {
    static func print(_ addresses: [RegisteredAddress], json: Bool) throws {
        if json {
            try Output.json(addresses.map(AddressJSON.init))
            return
        }
        if addresses.isEmpty { Output.line("none") }
        for address in addresses {
            let state = address.disabledAt.map { "disabled \(Output.date($0)): \(Output.escaped(address.disabledReason ?? ""))" } ?? "active"
            Output.line("\(address.id)\t\(address.platform?.rawValue ?? "-")\t\(Output.escaped(address.address))\t\(state)")
        }
    }
}
