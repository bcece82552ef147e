import DriveEngine
import ScreenKit

/// Everything the screen shows, as one value: the screen is a function of it.
///
/// Changed only by ``reduce(_:_:)`` on the main actor; rendered by ``render(_:theme:into:)``.
/// Value type, Sendable, Equatable (reducer tests compare states).
public struct AppState: Equatable, Sendable {
    /// Store, user, local folder and time zone.
    public var context: AppContext
    /// The terminal's size.
    public var size: TerminalSize
    /// The view shown.
    public var view: ViewID = .drive
    /// Which pane of the view has the keyboard.
    public var focus: PaneFocus = .list
    /// My Drive.
    public var browser = BrowserState()
    /// Versions of the selection.
    public var versions = VersionsState()
    /// The trash.
    public var trash = TrashState()
    /// Storage figures.
    public var storage = StorageState()
    /// Shared with me and Shared by me; also this user's roles under `/shared`.
    public var sharing = SharingState()
    /// The Inbox view, and the unread count of the top bar.
    public var inbox = InboxState()
    /// The Conflicts view.
    public var conflicts = ConflictsState()
    /// The Devices view, and the top bar's sync slot.
    public var devices = DevicesState()
    /// The merge screen, over the body of the Conflicts view.
    public var merge: MergeState?
    /// A merge screen was asked for and its sides have not arrived yet.
    public var isAwaitingMerge = false
    /// Set when the app was opened only to merge one conflict (`cairn resolve --merge`): closing
    /// the merge screen, or writing it, quits.
    public var quitsAfterMerge = false
    /// Whether the merge screen wrote its result (the conflict is resolved).
    public var mergeWritten = false
    /// The Help view's scroll position.
    public var help = ListCursor()
    /// The view Help was opened from, and its pane with the keyboard: where closing Help goes.
    public var helpReturnView: ViewID = .drive
    public var helpReturnFocus: PaneFocus = .list
    /// A preview or diff shown over the body.
    public var pager: PagerState?
    /// A confirm dialog or prompt over everything.
    public var dialog: Dialog?
    /// The `:` command line being typed.
    public var commandLine: TextField?
    /// The status-line message, until the next key.
    public var message: StatusMessage?
    /// The transfer running in the background.
    public var job: JobState?
    /// Keys typed so far of a longer binding (`o` before `n` sorts by name).
    public var pendingKeys: [Key] = []
    /// User names by id, for owners.
    public var userNames: [Int64: String] = [:]
    /// The last change-journal sequence seen.
    public var journalSequence: Int64 = 0
    /// The id the next job gets.
    public var nextJobID = 1
    /// A preview or diff was asked for and has not arrived yet.
    public var isAwaitingPager = false
    /// Set by quit: the loop ends after this turn.
    public var shouldQuit = false

    /// The state at start-up: My Drive at the root, loading.
    public init(context: AppContext, size: TerminalSize) {
        self.context = context
        self.size = size
    }

    /// The screen areas for the current size.
    public var layout: Layout { Layout(size: size) }

    /// Whether what the keys act on is still loading (a folder just opened, a file's versions,
    /// the trash, a preview): the app holds keys typed meanwhile and replays them once it
    /// arrives, so typing ahead acts on what the person will see, not on an empty list.
    public var isLoading: Bool {
        if isAwaitingPager || isAwaitingMerge || merge?.isWriting == true { return true }
        switch view {
        case .drive: return browser.isLoading
        case .versions: return versions.isLoading
        case .trash: return trash.isLoading
        case .sharedWithMe, .sharedByMe: return sharing.isLoading
        case .inbox: return inbox.isLoading || inbox.isOpening
        case .conflicts: return conflicts.isLoading
        case .devices: return devices.isLoading && devices.entries == nil
        case .storage, .help: return false
        }
    }

    /// Whether a text field (filter, prompt, command line) takes typed characters.
    public var isEditingText: Bool {
        if case .prompt? = dialog { return true }
        if case .share(let share)? = dialog { return share.focus == .user }
        return commandLine != nil || (dialog == nil && view == .drive && pager == nil && browser.filterField != nil)
    }
}
