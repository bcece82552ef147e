@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The one binding table feeds help, hints and the man page: nothing may fall out of any.
@Suite struct KeymapTests {
    @Test func everyBindingIsInHelp() {
        let lines = HelpView.lines()
        for binding in Keymap.bindings {
            #expect(lines.contains(.binding(keys: binding.keyLabel, summary: binding.summary)),
                    "help lacks \(binding.keyLabel): \(binding.summary)")
        }
    }

    @MainActor
    @Test func everyBindingIsOnTheHelpScreen() async throws {
        let harness = try await Harness(width: 120, height: 40)
        try await harness.press(.character("?"))
        var seen = ""
        for _ in 0..<20 {
            seen += harness.screen
            try await harness.press(.pageDown)
        }
        for binding in Keymap.bindings {
            #expect(seen.contains(binding.keyLabel) && seen.contains(binding.summary),
                    "the help screen never shows \(binding.keyLabel): \(binding.summary)")
        }
    }

    @Test func everyBindingIsInTheManPageKeysSection() {
        let keys = Keymap.manPageKeysSection()
        #expect(keys.hasPrefix(".SH KEYS\n"))
        for binding in Keymap.bindings {
            #expect(keys.contains(".B \(Keymap.roff(binding.keyLabel))\n\(Keymap.roff(binding.summary)).\n"),
                    "KEYS lacks \(binding.keyLabel)")
        }
        for context in Keymap.bindingsByContext().map(\.context) {
            #expect(keys.contains(".SS \(Keymap.roff(context.rawValue))\n"))
        }
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for (context, group) in Keymap.bindingsByContext() {
            var seen: [[Key]: String] = [:]
            for binding in group {
                for sequence in binding.sequences {
                    #expect(seen[sequence] == nil, "\(context.rawValue): \(sequence) is bound twice")
                    seen[sequence] = binding.summary
                }
            }
        }
    }

    @Test func theSpecReservedKeysAreThere() {
        func bound(_ key: Key, _ context: KeyContext) -> Bool {
            Keymap.bindings.contains { $0.context == context && $0.sequences.contains([key]) }
        }
        for key in [Key.character("j"), .character("k"), .character("g"), .character("G"), .pageUp, .pageDown, .up, .down] {
            #expect(bound(key, .list))
        }
        for key in [Key.enter, .backspace, .character("h"), .character("l"), .character("/"), .character("a"),
                    .character("D"), .character("n"), .character("R"), .character("m"), .character("x"), .delete] {
            #expect(bound(key, .browser))
        }
        for key in [Key.enter, .character("d"), .character("r"), .character("p")] {
            #expect(bound(key, .versions))
        }
        for key in [Key.character("q"), .ctrl("c"), .character("?"), .character(":"), .tab] + ViewID.allCases.map({ .character($0.key) }) {
            #expect(bound(key, .global))
        }
    }

    @Test func typedCharactersGoToTextFields() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character(":"))
        #expect(Keymap.action(for: .character("q"), in: state) == .edit(.insert("q")))
        #expect(Keymap.action(for: .character("한"), in: state) == .edit(.insert("한")))
        #expect(Keymap.action(for: .ctrl("w"), in: state) == .edit(.deleteWord))
    }

    @Test func keyLabels() {
        #expect(KeyLabel.text(for: .ctrl("c")) == "Ctrl-C")
        #expect(KeyLabel.text(for: .character(" ")) == "Space")
        #expect(KeyLabel.text(for: .pageDown) == "PgDn")
        let sort = Keymap.bindings.first { $0.action == .sort(.name) }
        #expect(sort?.keyLabel == "o n")
        #expect(Keymap.bindings.first { $0.action == .move(1) && $0.context == .list }?.keyLabel == "j, ↓")
    }
}
