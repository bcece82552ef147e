import ScreenKit

/// A named mapping from ``ThemeRole`` to ``Style``. Value type, Sendable.
///
/// Roles a theme does not mention draw plain. Themes come from text files (see ``ThemeFile``);
/// the built-in ones are in ``BuiltinThemes`` and, identically, in the repository's `themes/`.
public struct Theme: Equatable, Sendable {
    /// The theme's name ("dark", "light", …).
    public var name: String
    /// The style of each role the theme sets.
    public var styles: [ThemeRole: Style]

    /// Creates a theme.
    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `role`; plain when the theme does not set it.
    public subscript(role: ThemeRole) -> Style {
        styles[role] ?? .plain
    }

    /// The theme with every colour removed and only attributes kept, for `NO_COLOR`: roles
    /// whose look came from colour alone get an attribute so selection and state still show.
    public var monochrome: Theme {
        var mono = Theme(name: name + " (no colour)", styles: [:])
        for role in ThemeRole.allCases {
            let attributes = self[role].attributes.union(Self.monochromeAttributes[role] ?? [])
            mono.styles[role] = Style(attributes: attributes)
        }
        return mono
    }

    /// Attributes that stand in for colour when there is none.
    private static let monochromeAttributes: [ThemeRole: Attributes] = [
        .topBar: .reverse, .topBarAccent: [.reverse, .bold], .tabActive: [.reverse, .bold],
        .rowSelected: [.reverse, .bold], .rowSelectedInactive: .underline, .folder: .bold,
        .muted: .dim, .label: .dim, .borderFocused: .bold, .title: .bold, .header: [.bold, .underline],
        .status: [], .hintKey: .bold, .hintDisabled: .dim, .error: [.bold, .reverse], .success: .bold,
        .progressDone: .reverse, .dialogBorder: .bold, .input: .underline, .diffAdded: .bold,
        .diffRemoved: .dim, .diffHunk: [.bold, .underline], .diffHeader: .bold, .pinned: .bold,
        .hexOffset: .dim, .bar: .reverse,
    ]
}
