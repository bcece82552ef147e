import ScreenKit

/// Turns keys into actions through the one binding table (``bindings``). Pure.
public enum Keymap {
    /// The contexts whose bindings apply in `state`, most specific first.
    public static func activeContexts(in state: AppState) -> [KeyContext] {
        switch state.dialog {
        case .confirm?: return [.confirm]
        case .prompt?: return [.prompt, .textField]
        case .share(let share)?: return share.focus == .user ? [.shareDialog, .textField] : [.shareRows, .shareDialog]
        case nil: break
        }
        if state.commandLine != nil { return [.textField] }
        if state.merge != nil { return [.merge] }
        if state.pager != nil { return [.pager] }
        if state.isEditingText { return [.filter, .textField] }
        switch state.view {
        case .drive: return [.browser, .list, .global]
        case .versions: return [.versions, .list, .global]
        case .trash: return [.trash, .list, .global]
        case .sharedWithMe: return [.sharedWithMe, .list, .global]
        case .sharedByMe: return [.sharedByMe, .list, .global]
        case .inbox: return [.inbox, .list, .global]
        case .conflicts: return [.conflicts, .list, .global]
        case .devices: return [.devices, .list, .global]
        case .storage: return [.list, .global]
        case .help: return [.help, .list, .global]
        }
    }

    /// What `key` means in `state`: a binding's action, ``Action/explain(_:)`` when that
    /// binding is disabled, ``Action/awaitNextKey(_:)`` for the first key of a longer binding,
    /// a typed character in a text field, or ``Action/unbound(_:)``.
    public static func action(for key: Key, in state: AppState) -> Action {
        if key == .ctrl("c") { return .quit }  // always, so a stuck dialog never traps anyone
        let contexts = activeContexts(in: state)
        let typed = state.pendingKeys + [key]
        var isPrefix = false
        for context in contexts {
            for binding in bindings where binding.context == context {
                if binding.sequences.contains(typed) {
                    if let reason = binding.refusal(in: state) { return .explain(reason) }
                    return binding.action
                }
                if binding.sequences.contains(where: { $0.count > typed.count && Array($0.prefix(typed.count)) == typed }) {
                    isPrefix = true
                }
            }
            // A text field takes any printable character its own bindings do not claim.
            if context == .textField, state.pendingKeys.isEmpty, case .character(let character) = key {
                return .edit(.insert(character))
            }
        }
        return isPrefix ? .awaitNextKey(key) : .unbound(key)
    }

    /// The hint line's entries in `state`: key label, hint text and whether it is disabled
    /// now, most specific context first.
    public static func hints(in state: AppState) -> [(keys: String, label: String, isDisabled: Bool)] {
        if !state.pendingKeys.isEmpty {
            return bindings.filter { binding in
                activeContexts(in: state).contains(binding.context)
                    && binding.sequences.contains { $0.count > 1 && Array($0.prefix(state.pendingKeys.count)) == state.pendingKeys }
            }.map { binding in
                let next = binding.sequences[0].dropFirst(state.pendingKeys.count).map(KeyLabel.text(for:)).joined()
                return (next, binding.summary.components(separatedBy: " (").first ?? binding.summary, false)
            }
        }
        var shown: Set<String> = []
        return activeContexts(in: state).flatMap { context in
            bindings.filter { $0.context == context && $0.hint != nil }.compactMap { binding in
                let keys = binding.shortKeyLabel.components(separatedBy: " ").first ?? ""
                // A key already hinted by a more specific context means that context's action.
                guard shown.insert(keys).inserted else { return nil }
                return (keys, binding.hint!, binding.refusal(in: state) != nil)
            }
        }
    }

    /// The bindings of each context, in table order, for the Help view and the man page.
    public static func bindingsByContext() -> [(context: KeyContext, bindings: [Binding])] {
        KeyContext.allCases.compactMap { context in
            let group = bindings.filter { $0.context == context }
            return group.isEmpty ? nil : (context, group)
        }
    }
}
