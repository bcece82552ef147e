/// What a user may do with an item, as in Google Drive and Dropbox.
///
/// `viewer`: list, read, download, see history. `editor`: viewer + put new versions, make folders,
/// rename and move inside the shared item, delete to trash, restore and pin versions. `owner`:
/// editor + share, unshare, transfer, purge. A share on a folder applies to everything below it;
/// a share further down may raise the role, never lower it (the effective role is the highest).
public enum Role: String, Codable, Sendable, Comparable, CaseIterable {
    case viewer, editor, owner

    var rank: Int {
        switch self {
        case .viewer: 0
        case .editor: 1
        case .owner: 2
        }
    }

    /// The role with its indefinite article, for messages: "a viewer", "an editor", "an owner".
    public var withArticle: String { self == .viewer ? "a viewer" : "an \(rawValue)" }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}
