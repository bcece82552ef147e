import Foundation

/// Finds the theme to use: `--theme NAME`, else `theme = NAME` in
/// `$XDG_CONFIG_HOME/cairn/config` (`~/.config/cairn/config`), else "dark"; and `NO_COLOR`
/// turns whichever it is monochrome.
///
/// A name is looked up as `$XDG_CONFIG_HOME/cairn/themes/NAME.theme`, then among the built-in
/// themes; a name containing "/" is a path to a theme file. Blocking file reads: call it
/// before the UI starts.
public struct ThemeLoader: Sendable {
    /// The environment consulted for `XDG_CONFIG_HOME`, `HOME` and `NO_COLOR`.
    public var environment: [String: String]

    /// A loader over `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Why no theme could be loaded; `description` is one line for the CLI.
    public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The theme name or file asked for.
        public var name: String
        /// What went wrong.
        public var reason: String

        /// "theme 'neon': no such theme (built in: dark, light, high-contrast)".
        public var description: String { "theme '\(name)': \(reason)" }
    }

    /// `$XDG_CONFIG_HOME/cairn`, else `~/.config/cairn`.
    public var configFolder: URL {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("cairn")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/cairn")
    }

    /// Whether `NO_COLOR` asks for no colour (https://no-color.org: set and not empty).
    public var wantsNoColor: Bool { !(environment["NO_COLOR"] ?? "").isEmpty }

    /// The theme for an explicit `--theme` value (or `nil`), monochrome under `NO_COLOR`.
    public func load(requested: String?) throws(LoadError) -> Theme {
        let name = requested ?? configuredThemeName() ?? BuiltinThemes.names[0]
        let theme = try theme(named: name)
        return wantsNoColor ? theme.monochrome : theme
    }

    /// The `theme = NAME` line of the config file, if any.
    public func configuredThemeName() -> String? {
        let url = configFolder.appendingPathComponent("config")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "theme", !parts[1].isEmpty { return parts[1] }
        }
        return nil
    }

    /// The theme called `name` (or in the file `name`, when it contains "/").
    public func theme(named name: String) throws(LoadError) -> Theme {
        let file: URL? = name.contains("/")
            ? URL(fileURLWithPath: name)
            : configFolder.appendingPathComponent("themes/\(name).theme")
        if let file, let text = try? String(contentsOf: file, encoding: .utf8) {
            do {
                return try ThemeFile.parse(text, name: file.deletingPathExtension().lastPathComponent)
            } catch {
                throw LoadError(name: file.path, reason: error.description)
            }
        }
        if let text = BuiltinThemes.text(named: name) {
            do {
                return try ThemeFile.parse(text, name: name)
            } catch {
                throw LoadError(name: name, reason: "built-in theme is broken: \(error)")
            }
        }
        let builtIn = BuiltinThemes.names.joined(separator: ", ")
        throw LoadError(name: name, reason: "no such theme (built in: \(builtIn))")
    }
}
