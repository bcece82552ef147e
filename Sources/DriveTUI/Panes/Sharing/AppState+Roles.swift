import DriveEngine

/// Why this user's role does not allow an action on what it would act on: the role it needs,
/// the role held, and where. The keymap dims such bindings and refuses them with ``message``;
/// the engine still checks every operation. Value type, Sendable.
public struct RoleDenial: Equatable, Sendable {
    /// The role the action needs.
    public var needed: Role
    /// The role this user has there.
    public var held: Role
    /// The item or folder it would act on.
    public var subject: DrivePath
    /// What is refused, for the message: "Renaming", "Sharing".
    public var doing: String

    /// "needs editor": beside a dimmed key in help.
    public var short: String { "needs \(needed.rawValue)" }

    /// "Renaming needs editor: you are a viewer of /shared/문서": the status line's refusal.
    public var message: String {
        "\(doing) needs \(needed.rawValue): you are \(Self.article(held)) \(held.rawValue) of \(subject)"
    }

    private static func article(_ role: Role) -> String { role == .editor || role == .owner ? "an" : "a" }
}

extension AppState {
    /// The top of what others share with this user.
    static let sharedRoot = DrivePath.root.appending(DriveSession.sharedRoot)

    /// Whether `path` is `/shared` or below it.
    static func isShared(_ path: DrivePath) -> Bool {
        path.components.first == DriveSession.sharedRoot
    }

    /// This user's role at `path`: owner in their own drive (everything in it is theirs, also
    /// what a sharee added); under `/shared/<name>`, the role of that share. `nil` when it is
    /// not known — for `/shared` itself, while the shares load, and below a share when the
    /// same owner shares something else with a higher role, which may lie below it and raise
    /// the role there (the overview does not say where) — and then only the engine decides.
    public func role(at path: DrivePath) -> Role? {
        guard Self.isShared(path) else { return .owner }
        guard path.components.count >= 2, let share = sharing.sharedEntry(named: path.components[1]) else { return nil }
        let mayBeRaised = path.components.count > 2 && sharing.withMe.contains {
            $0.ownerName == share.ownerName && $0.role > share.role && $0.item.id != share.item.id
        }
        return mayBeRaised ? nil : share.role
    }

    /// This user's role on a listed item: what `/shared` listed for it, else the role where it
    /// is, raised by a share of the item itself (a more specific share may raise a role).
    public func role(of entry: Entry) -> Role? {
        if let role = entry.role { return role }
        let inherited = role(at: entry.path)
        guard Self.isShared(entry.path), let direct = sharing.withMe.first(where: { $0.item.id == entry.item.id })?.role else {
            return inherited
        }
        return max(inherited ?? direct, direct)
    }

    /// A denial when this user's role at `path` is below `needed`; `nil` when it suffices or is
    /// not known.
    func denial(_ doing: String, needs needed: Role, at path: DrivePath, role held: Role?) -> RoleDenial? {
        guard let held, held < needed else { return nil }
        return RoleDenial(needed: needed, held: held, subject: path, doing: doing)
    }

    /// For adding to or making a folder in the folder shown: needs editor there.
    func folderDenial(_ doing: String) -> RoleDenial? {
        denial(doing, needs: .editor, at: browser.folder, role: role(at: browser.folder))
    }

    /// For changing the selection: editor, or owner when it is the top of a share (only the
    /// owner renames, moves or deletes what they shared).
    func selectionDenial(_ doing: String, needs needed: Role = .editor) -> RoleDenial? {
        guard let entry = browser.selectedEntry else { return nil }
        let shareRoot = Self.isShared(entry.path) && entry.path.components.count == 2
        return denial(doing, needs: shareRoot ? .owner : needed, at: entry.path, role: role(of: entry))
    }

    /// For changing the file the Versions view shows: needs editor.
    func versionsDenial(_ doing: String) -> RoleDenial? {
        guard let path = versions.path else { return nil }
        return denial(doing, needs: .editor, at: path, role: role(at: path))
    }
}

extension DrivePath {
    /// This path with `names` appended, one level each.
    func appendingAll(_ names: some Sequence<String>) -> DrivePath {
        names.reduce(self) { $0.appending($1) }
    }
}
