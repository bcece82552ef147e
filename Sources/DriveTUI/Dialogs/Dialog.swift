import DriveEngine

/// A box over the screen that takes every key until it is answered. Value type, Sendable.
public enum Dialog: Equatable, Sendable {
    /// A yes/no question before something that cannot simply be undone.
    case confirm(ConfirmDialog)
    /// A line of text to type: a path or a name.
    case prompt(PromptDialog)
    /// Whom an item is shared with: add a user in a role, change or revoke a share.
    case share(ShareDialog)
}

/// A question with a yes and a no. Value type, Sendable.
public struct ConfirmDialog: Equatable, Sendable {
    /// The box's title.
    public var title: String
    /// What will happen, one or more lines.
    public var message: [String]
    /// The label of the yes answer, e.g. "Restore".
    public var confirmLabel: String
    /// What yes does.
    public var operation: ConfirmedOperation
    /// The share dialog the question was asked from: shown again after yes or no.
    public var returnTo: ShareDialog?

    /// Creates a confirm dialog.
    public init(title: String, message: [String], confirmLabel: String, operation: ConfirmedOperation,
                returnTo: ShareDialog? = nil) {
        self.title = title
        self.message = message
        self.confirmLabel = confirmLabel
        self.operation = operation
        self.returnTo = returnTo
    }
}

/// What a confirm dialog does on yes. Value type, Sendable.
public enum ConfirmedOperation: Equatable, Sendable {
    /// Make a new head version from version `version` of the file.
    case restoreVersion(DrivePath, version: Int)
    /// Delete everything in the trash for good.
    case emptyTrash
    /// Stop sharing the item at the path with the user.
    case unshare(DrivePath, user: String)
    /// Download the item (a version, or the head) to the local path, replacing what is there.
    case replaceLocal(DrivePath, local: String, version: Int?)
    /// Settle conflict `id` of the file at the path by keeping a side or both.
    case keepSide(DrivePath, id: Int64, MergeSide)
    /// Close the merge screen, dropping the choices made in it.
    case leaveMerge
}

/// A text field with a title and, for local paths, Tab completion. Value type, Sendable.
public struct PromptDialog: Equatable, Sendable {
    /// The box's title.
    public var title: String
    /// The text being typed.
    public var field: TextField
    /// What the text is for.
    public var purpose: PromptPurpose
    /// Candidates from the last Tab, shown under the field.
    public var completions: [String] = []

    /// Creates a prompt.
    public init(title: String, text: String, purpose: PromptPurpose) {
        self.title = title
        self.field = TextField(text)
        self.purpose = purpose
    }

    /// Whether Tab completes local paths here.
    public var completesLocalPaths: Bool {
        switch purpose {
        case .addLocal, .download: true
        case .newFolder, .rename, .move: false
        }
    }
}

/// What a prompt's text is used for. Value type, Sendable.
public enum PromptPurpose: Equatable, Sendable {
    /// A local file or folder to add into a drive folder.
    case addLocal(into: DrivePath)
    /// A local path to download a drive item (a given version, or the head) to.
    case download(DrivePath, version: Int?)
    /// The name of a new folder in a drive folder.
    case newFolder(in: DrivePath)
    /// A new name for an item.
    case rename(DrivePath)
    /// An existing drive folder to move an item into (never a new name: that is rename).
    case move(DrivePath)
}
