// The built-in themes, identical to the files in the repository's themes/ folder (a test keeps
// them so): the app works without any file installed, and the files are there to copy and edit.

/// The themes compiled into the app, by name. Pure data.
public enum BuiltinThemes {
    /// The names, default first.
    public static let names = ["dark", "light", "high-contrast"]

    /// The text of a built-in theme, or `nil` for another name.
    public static func text(named name: String) -> String? {
        switch name {
        case "dark": dark
        case "light": light
        case "high-contrast": highContrast
        default: nil
        }
    }

    static let dark = #"""
    # Cairn theme "dark": 256 colours, for terminals with a dark background (the default).
    # Each line: role = [fg:COLOUR] [bg:COLOUR] [bold] [dim] [underline] [reverse] [italic]
    # COLOUR: default, black … white, bright-black … bright-white, 0–255, or #rrggbb.
    # Roles left out draw in the terminal's own colours. Copy this file to
    # $XDG_CONFIG_HOME/cairn/themes/NAME.theme to make your own; choose it with --theme NAME
    # or "theme = NAME" in $XDG_CONFIG_HOME/cairn/config.
    top-bar               = fg:253 bg:236
    top-bar-accent        = fg:81 bg:236 bold
    tab                   = fg:245
    tab-active            = fg:16 bg:81 bold
    border                = fg:240
    border-focused        = fg:81
    title                 = fg:253 bold
    header                = fg:245 underline
    row                   = default
    row-selected          = fg:16 bg:81
    row-selected-inactive = fg:253 bg:238
    folder                = fg:111 bold
    muted                 = fg:245
    label                 = fg:245
    value                 = fg:253
    pinned                = fg:214 bold
    status                = fg:250 bg:235
    hint-key              = fg:81 bg:235 bold
    hint                  = fg:245 bg:235
    hint-disabled         = fg:239 bg:235
    info                  = fg:252 bg:235
    success               = fg:114 bg:235 bold
    error                 = fg:231 bg:124 bold
    progress-done         = fg:16 bg:114
    progress-todo         = fg:250 bg:238
    dialog                = fg:253 bg:236
    dialog-border         = fg:81 bg:236 bold
    input                 = fg:255 bg:238
    diff-added            = fg:114
    diff-removed          = fg:203
    diff-hunk             = fg:75
    diff-header           = fg:253 bold
    hex-offset            = fg:243
    bar                   = fg:81
    """#

    static let light = #"""
    # Cairn theme "light": 256 colours, for terminals with a light background.
    # Each line: role = [fg:COLOUR] [bg:COLOUR] [bold] [dim] [underline] [reverse] [italic]
    # COLOUR: default, black … white, bright-black … bright-white, 0–255, or #rrggbb.
    # Roles left out draw in the terminal's own colours. Copy this file to
    # $XDG_CONFIG_HOME/cairn/themes/NAME.theme to make your own; choose it with --theme NAME
    # or "theme = NAME" in $XDG_CONFIG_HOME/cairn/config.
    top-bar               = fg:235 bg:253
    top-bar-accent        = fg:25 bg:253 bold
    tab                   = fg:242
    tab-active            = fg:231 bg:25 bold
    border                = fg:248
    border-focused        = fg:25
    title                 = fg:235 bold
    header                = fg:242 underline
    row                   = default
    row-selected          = fg:231 bg:25
    row-selected-inactive = fg:235 bg:252
    folder                = fg:25 bold
    muted                 = fg:242
    label                 = fg:242
    value                 = fg:235
    pinned                = fg:166 bold
    status                = fg:238 bg:254
    hint-key              = fg:25 bg:254 bold
    hint                  = fg:242 bg:254
    hint-disabled         = fg:250 bg:254
    info                  = fg:235 bg:254
    success               = fg:28 bg:254 bold
    error                 = fg:231 bg:160 bold
    progress-done         = fg:231 bg:28
    progress-todo         = fg:238 bg:252
    dialog                = fg:235 bg:255
    dialog-border         = fg:25 bg:255 bold
    input                 = fg:232 bg:252
    diff-added            = fg:28
    diff-removed          = fg:160
    diff-hunk             = fg:25
    diff-header           = fg:235 bold
    hex-offset            = fg:245
    bar                   = fg:25
    """#

    static let highContrast = #"""
    # Cairn theme "high-contrast": the 16 basic colours, bold text, strong selection.
    # Each line: role = [fg:COLOUR] [bg:COLOUR] [bold] [dim] [underline] [reverse] [italic]
    # COLOUR: default, black … white, bright-black … bright-white, 0–255, or #rrggbb.
    # Roles left out draw in the terminal's own colours. Copy this file to
    # $XDG_CONFIG_HOME/cairn/themes/NAME.theme to make your own; choose it with --theme NAME
    # or "theme = NAME" in $XDG_CONFIG_HOME/cairn/config.
    top-bar               = fg:bright-white bg:black bold
    top-bar-accent        = fg:bright-yellow bg:black bold
    tab                   = fg:bright-white
    tab-active            = fg:black bg:bright-yellow bold
    border                = fg:white
    border-focused        = fg:bright-yellow bold
    title                 = fg:bright-white bold
    header                = fg:bright-white bold underline
    row                   = fg:bright-white
    row-selected          = fg:black bg:bright-yellow bold
    row-selected-inactive = fg:bright-white bold underline
    folder                = fg:bright-cyan bold
    muted                 = fg:white
    label                 = fg:white
    value                 = fg:bright-white bold
    pinned                = fg:bright-magenta bold
    status                = fg:bright-white bg:black
    hint-key              = fg:bright-yellow bg:black bold
    hint                  = fg:bright-white bg:black
    hint-disabled         = fg:white bg:black dim
    info                  = fg:bright-white bg:black
    success               = fg:bright-green bg:black bold
    error                 = fg:bright-white bg:red bold
    progress-done         = fg:black bg:bright-green bold
    progress-todo         = fg:bright-white bg:black
    dialog                = fg:bright-white bg:black
    dialog-border         = fg:bright-yellow bg:black bold
    input                 = fg:black bg:bright-white
    diff-added            = fg:bright-green bold
    diff-removed          = fg:bright-red bold
    diff-hunk             = fg:bright-cyan bold
    diff-header           = fg:bright-white bold underline
    hex-offset            = fg:white
    bar                   = fg:bright-yellow bold
    """#
}
