import Foundation
import Testing

/// The full-screen drive driven like a user at a terminal: the built `cairn` in a tmux pane, keys
/// typed, screens read back by display column (Hangul is two columns wide), and the CLI asked
/// afterwards what the store holds. Each test has a store of its own.
@Suite struct TUIEndToEndTests {
    static let demoRoot = ["Backup/", "Projects/", "문서/", "사진/", "할 일.txt"]
    static let demoDocuments = ["alice 메모.md", "빈 파일.txt", "예산.csv", "회의록.md"]

    // MARK: 1. Open the demo

    @Test func demoOpensOnMyDrive() throws {
        let drive = try UIStore.unbuilt()
        let session = try TmuxSession.cairn(["demo", "--store", drive.store.path], width: 100, height: 30,
                                            environment: drive.environment, directory: drive.work)
        let screen = try session.waitForListing { $0.names == Self.demoRoot }
        #expect(screen[0].text.hasPrefix(" Cairn  minji @ "), "\(screen)")
        #expect(screen[2].text.hasPrefix("╭─ My Drive ─"), "\(screen)")
        #expect(screen.raw.contains("│ name      Backup "), "the details pane shows the first row: \(screen)")
        #expect(screen[28].text.contains("5 items"), "\(screen)")
        #expect(UIFrame.problems(screen, width: 100, height: 30) == [], "\(screen)")
        #expect(Listing(screen)?.problems == [], "\(screen)")

        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)
        // The demo was built where --store said, and the CLI reads it.
        let listing = try drive.cli(["ls", "/", "--json"], as: "minji")
        #expect(listing.status == 0 && listing.stdout.contains("\"문서\""), "\(listing)")
    }

    // MARK: 2. Columns line up in a Korean-named folder

    @Test func koreanFolderColumnsLineUp() throws {
        let drive = try UIStore.demo()
        let session = try drive.open(as: "minji")
        let rootScreen = try session.waitForListing { $0.names == Self.demoRoot }
        let root = try #require(Listing(rootScreen))
        #expect(root.problems == [], "\(rootScreen)")

        try session.select("문서/")
        try session.sendKeys("Enter")
        let screen = try session.waitForListing { $0.screen[2].text.contains("My Drive › 문서") && $0.names == Self.demoDocuments }
        let folder = try #require(Listing(screen))
        #expect(folder.problems == [], "\(screen)")
        // The same columns as for the ASCII names at the top (Backup/, Projects/), measured on the screen.
        #expect(folder.sizeEnd == root.sizeEnd && folder.modifiedStart == root.modifiedStart
                    && folder.byStart == root.byStart && folder.rightBorder == root.rightBorder,
                "columns moved between / and /문서:\n\(rootScreen)\n\(screen)")
        for row in folder.rows {
            let line = screen[row]
            let date = try #require(line.text.firstMatch(of: #/\d{4}-\d{2}-\d{2}/#))
            let before = line.text[..<date.range.lowerBound]
            #expect(TerminalText.width(before) == root.modifiedStart, "row \(row) counts \(before.count) characters before the date: \(line)")
        }
        // Sizes right-aligned to one column: "51 B", "0 B", "128 B", "712 B".
        let sizes = folder.rows.map { screen[$0].text((folder.sizeEnd - 6)..<folder.sizeEnd).trimmingCharacters(in: .whitespaces) }
        #expect(sizes == ["51 B", "0 B", "128 B", "712 B"], "\(screen)")
        #expect(UIFrame.problems(screen, width: 100, height: 30) == [], "\(screen)")
    }

    // MARK: 3. Restore an older version, then ask the CLI

    @Test func restoreOlderVersionMakesNewHead() throws {
        let drive = try UIStore.demo()
        let before = try drive.cli(["log", "/문서/회의록.md", "--json"], as: "minji").jsonObjects()
        try #require(before.count == 4, "the demo's 회의록.md has four versions: \(before)")
        let version2 = try #require(before.first { $0["version"] as? Int == 2 })

        let session = try drive.open(as: "minji")
        try session.waitForListing { $0.names == Self.demoRoot }
        try session.select("문서/")
        try session.sendKeys("Enter")
        try session.waitForListing { $0.names == Self.demoDocuments }
        try session.select("회의록.md")
        try session.sendKeys("v")
        var screen = try session.waitForScreen("four versions of 회의록.md") {
            $0.raw.contains("Versions of /문서/회의록.md") && Self.versionRows($0).count == 4
        }
        let index = try #require(Self.versionRows(screen).firstIndex { $0.number == 2 }, "\(screen)")
        try session.sendKeys(["g"] + Array(repeating: "j", count: index))
        try session.waitForScreen("version 2 selected") { $0.raw.contains("│ version   2 ") }

        try session.sendKeys("r")
        screen = try session.waitFor(screen: "Restore version 2?")
        #expect(screen.raw.contains("new head version 5"), "the dialog says what will happen: \(screen)")
        try session.sendKeys("y")
        screen = try session.waitForScreen("the new head v5") { Self.versionRows($0).first?.number == 5 }
        #expect(screen.raw.contains("Restored /문서/회의록.md to version 2"), "\(screen)")
        #expect(Self.versionRows(screen).map(\.number) == [5, 4, 3, 2, 1], "\(screen)")
        #expect(Self.versionRows(screen).first?.text.contains("v2") == true, "v5 says where it came from: \(screen)")

        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)

        let log = try drive.cli(["log", "/문서/회의록.md", "--json"], as: "minji")
        #expect(log.status == 0, "\(log)")
        let versions = try log.jsonObjects()
        #expect(versions.count == 5, "\(log)")
        let head = try #require(versions.first)
        #expect(head["version"] as? Int == 5 && head["head"] as? Bool == true, "\(log)")
        #expect(head["restoredFrom"] as? Int == 2, "the new head says it was restored from version 2: \(log)")
        #expect(head["digest"] as? String == version2["digest"] as? String, "the head has version 2's content: \(log)")
        #expect(head["author"] as? String == "minji", "\(log)")
        #expect(versions.dropFirst().allSatisfy { $0["head"] as? Bool == false }, "\(log)")
        let text = try drive.cli(["log", "/문서/회의록.md"], as: "minji")
        #expect(text.stdoutLines.first?.contains("restored from v2") == true, "\(text)")
    }

    // MARK: 4. Resize without garbage

    /// 100×30 → 80×24 → 200×60: each time a whole frame of the new size (checked piece by piece,
    /// and equal to the screen of a UI started at that size); then too small, and back.
    @Test func resizesWithoutGarbage() throws {
        let drive = try UIStore.demo()
        let session = try drive.open(as: "minji", width: 100, height: 30)
        let first = try session.waitForListing { $0.names == Self.demoRoot }
        #expect(UIFrame.problems(first, width: 100, height: 30) == [], "\(first)")
        #expect(first.raw.contains("Details"))

        var previous = first
        for (width, height) in [(80, 24), (200, 60)] {
            try Self.resize(session, width: width, height: height, from: previous) { UIFrame.problems($0, width: width, height: height).isEmpty }
            let screen = Screen(try session.waitUntilStable())
            #expect(try session.paneSize() == "\(width)x\(height)")
            #expect(UIFrame.problems(screen, width: width, height: height) == [], "\(screen)")
            #expect(Listing(screen)?.names == Self.demoRoot, "\(screen)")
            #expect(Listing(screen)?.problems == [], "\(screen)")
            #expect(screen.lines.allSatisfy { $0.width <= width }, "\(screen)")
            // Exactly what a UI started at this size shows: nothing left over from the old frame.
            let fresh = try drive.open(as: "minji", width: width, height: height)
            try fresh.waitForListing { $0.names == Self.demoRoot }
            let reference = try fresh.waitUntilStable()
            #expect(screen.raw == reference, "after resizing to \(width)×\(height):\n\(screen)\nstarted at that size:\n\(reference)")
            fresh.kill()
            previous = screen
        }

        // Below 60×15: a message, not a squeezed frame; then back to the first size and frame.
        try Self.resize(session, width: 50, height: 12, from: previous) { $0.raw.contains("Terminal too small") }
        let small = Screen(try session.waitUntilStable())
        #expect(small.raw.contains("50×12") && small.raw.contains("60×15"), "\(small)")
        #expect(small.lines.allSatisfy { $0.width <= 50 && !$0.text.contains(where: { UIFrame.boxCharacters.contains($0) }) },
                "nothing of the frame is left: \(small)")
        try Self.resize(session, width: 100, height: 30, from: small) { UIFrame.problems($0, width: 100, height: 30).isEmpty }
        let back = try session.waitUntilStable()
        #expect(back == first.raw, "back at 100×30:\n\(back)\nat the start:\n\(first)")
    }

    /// Resizes the pane and waits until the screen shows what `redrawn` expects.
    ///
    /// A screen that is still the old frame (cut or padded by tmux) means cairn missed the
    /// SIGWINCH; that is named as such, since it once happened under load (the wake-up pipe
    /// was written before ncurses had flagged the resize).
    static func resize(_ session: TmuxSession, width: Int, height: Int, from old: Screen,
                       until redrawn: (Screen) -> Bool) throws {
        try session.resize(width: width, height: height)
        do {
            try session.waitForScreen("a redrawn \(width)×\(height) screen", timeout: 6, redrawn)
        } catch let timeout as TmuxSession.Timeout {
            if isStale(Screen(timeout.screen), of: old, width: width) {
                Issue.record("cairn missed the resize to \(width)×\(height) (SIGWINCH lost) and still shows the old frame:\n\(timeout.screen)")
            }
            throw timeout
        }
    }

    /// Whether `screen` is `old` as tmux keeps it in a pane `width` wide: each line cut at the
    /// width, a run of them (tmux drops rows at the top or bottom when the pane gets shorter).
    static func isStale(_ screen: Screen, of old: Screen, width: Int) -> Bool {
        func trimmed(_ lines: [String]) -> [String] {
            var lines = lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
            while lines.last == "" { lines.removeLast() }
            while lines.first == "" { lines.removeFirst() }
            return lines
        }
        let now = trimmed(screen.lines.map(\.text))
        let before = trimmed(old.lines.map { $0.text(0..<width) })
        guard !now.isEmpty, now.count <= before.count else { return false }
        return (0...(before.count - now.count)).contains { Array(before[$0..<($0 + now.count)]) == now }
    }

    // MARK: 5. Filter with /

    @Test func filterNarrowsTheList() throws {
        let drive = try UIStore.demo()
        let session = try drive.open(as: "minji")
        try session.waitForListing { $0.names == Self.demoRoot }

        try session.sendKeys("/")
        try session.type("p")
        try session.waitForListing { $0.names == ["Backup/", "Projects/"] }
        try session.type("r")
        var screen = try session.waitForListing { $0.names == ["Projects/"] }
        #expect(screen[28].text.contains("/pr"), "the status line shows the filter: \(screen)")
        try session.sendKeys("Escape")
        try session.waitForListing { $0.names == Self.demoRoot }

        try session.sendKeys("/")
        try session.type("할")
        screen = try session.waitForListing { $0.names == ["할 일.txt"] }
        #expect(screen[28].text.contains("/할") && screen[28].text.contains("1 of 5"), "\(screen)")
        #expect(screen.raw.contains("│ name      할 일.txt "), "the match is selected: \(screen)")
        try session.sendKeys("BSpace")
        try session.waitForListing { $0.names == Self.demoRoot }
        try session.type("사진")
        try session.waitForListing { $0.names == ["사진/"] }
        try session.sendKeys("Enter") // keep the filter
        screen = try session.waitForScreen("the kept filter in the status line") { $0[28].text.contains("1 shown") }
        #expect(Listing(screen)?.names == ["사진/"], "\(screen)")
        #expect(Listing(screen)?.problems == [], "\(screen)")
    }

    // MARK: 6. Quit and find the terminal restored

    @Test func quitWithQRestoresTheTerminal() throws {
        try quitRestoresTheTerminal(keys: ["q"])
    }

    /// Ctrl-C quits from anywhere (cairn(1): "Quit, from anywhere, even in a dialog"), so exit 0.
    @Test func ctrlCInACommandLineRestoresTheTerminal() throws {
        try quitRestoresTheTerminal(keys: [":"], typing: "cd /문", then: "C-c")
    }

    private func quitRestoresTheTerminal(keys: [String], typing text: String? = nil, then last: String? = nil) throws {
        let drive = try UIStore.demo()
        let banner = "$ cairn # the shell was here"
        let session = try drive.openAfterBanner(banner, arguments: ["--store", drive.store.path, "--user", "minji"])
        try session.waitForListing { $0.names == Self.demoRoot }
        let running = try session.modes()
        #expect(running.alternateScreen && !running.cursorVisible, "the UI runs on the alternate screen: \(running)")
        try session.sendKeys(keys)
        if let text {
            try session.type(text)
            try session.waitFor(text)
        }
        if let last { try session.sendKeys(last) }
        let status = try session.waitForExit()
        #expect(status == 0)
        #expect(try session.modes() == .plain)
        let after = try session.capture()
        let lines = after.components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(lines == [banner], "only the shell's line is left on the terminal:\n\(after)")
    }

    // MARK: 7. A viewer sees a share, its history, and is refused a delete

    @Test func viewerSeesShareAndIsRefusedDelete() throws {
        let drive = try UIStore.empty(users: ["alice", "bob"])
        try drive.write("설계/plan.md", "first plan\n")
        try drive.write("설계/readme.txt", "read me\n")
        try drive.succeed(["put", "설계", "/설계"], as: "alice")
        try drive.write("설계/plan.md", "second plan\n")
        try drive.succeed(["put", "설계/plan.md", "/설계/plan.md"], as: "alice")
        try drive.succeed(["share", "/설계", "--with", "bob", "--role", "viewer"], as: "alice")

        let session = try drive.open(as: "bob")
        var screen = try session.waitFor(screen: " Cairn  bob @ ")
        if let key = screen[1].text.firstMatch(of: #/(\d) (?:Shared with me|With me)\b/#)?.output.1 {
            // The "Shared with me" view: the folder with its owner and bob's role; Enter opens it.
            try session.sendKeys(String(key))
            screen = try session.waitForScreen("설계 in Shared with me") { $0[2].text.contains("Shared with me") && $0.raw.contains("설계/") }
            let header = try #require(screen.row(containing: "Owner"), "\(screen)")
            let row = try #require(screen.row(containing: "설계/"), "\(screen)")
            for (column, value) in [("Owner", "alice"), ("Role", "viewer")] {
                let start = try #require(screen[header].column(of: column))
                #expect(screen[row].column(of: value) == start, "\(value) under \(column): \(screen)")
            }
            try session.sendKeys("Enter")
        } else {
            // Without that view: the /shared folder it lists, through the command line.
            try session.sendKeys(":")
            try session.type("cd /shared")
            try session.sendKeys("Enter")
            screen = try session.waitForListing { $0.screen[2].text.lowercased().contains("shared") && $0.names == ["설계/"] }
            #expect(screen.raw.contains("│ owner     alice "), "the details pane names the owner: \(screen)")
            try session.sendKeys("Enter")
        }
        screen = try session.waitForListing { $0.names == ["plan.md", "readme.txt"] }
        #expect(screen[2].text.lowercased().contains("shared") && screen[2].text.contains("설계"), "the title says where: \(screen)")
        #expect(Listing(screen)?.problems == [], "\(screen)")
        screen = try session.select("plan.md")
        #expect(screen.raw.contains("│ role      viewer "), "the details pane shows bob's role: \(screen)")

        try session.sendKeys("v")
        screen = try session.waitForScreen("the history of plan.md") {
            $0.raw.contains("Versions of /shared/설계/plan.md") && Self.versionRows($0).count == 2
        }
        #expect(Self.versionRows(screen).map(\.number) == [2, 1], "\(screen)")
        #expect(Self.versionRows(screen).allSatisfy { $0.text.contains("alice") }, "alice made both versions: \(screen)")

        try session.sendKeys("h")
        try session.waitForListing { $0.names == ["plan.md", "readme.txt"] }
        try session.select("plan.md")
        try session.sendKeys("x")
        screen = try session.waitForScreen("a refusal in the status line") { $0[28].text.contains("editor") }
        #expect(screen[28].text.contains("viewer"), "the message says what bob is: \(screen)")
        #expect(Listing(screen)?.names == ["plan.md", "readme.txt"], "the file is still listed: \(screen)")
        #expect(UIFrame.problems(screen, width: 100, height: 30) == [], "\(screen)")

        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)
        let asBob = try drive.cli(["ls", "/shared/설계"], as: "bob")
        #expect(asBob.status == 0 && asBob.stdoutLines == ["plan.md", "readme.txt"], "\(asBob)")
        let log = try drive.cli(["log", "/설계/plan.md", "--json"], as: "alice")
        #expect(try log.jsonObjects().count == 2, "\(log)")
        let trash = try drive.cli(["trash", "list", "--json"], as: "alice")
        #expect(trash.status == 0 && !trash.stdout.contains("plan.md"), "nothing went to alice's trash: \(trash)")
    }

    // MARK: 8. A very long Korean name at 80×24

    @Test func longKoreanNamesTruncateWithEllipsisAt80x24() throws {
        let drive = try UIStore.empty()
        let folder = "대한민국 서울특별시 종로구 세종대로 209 정부서울청사 회의 자료 보관용 폴더"
        let longFile = "가나다라마바사아자차카타파하가나다라마바사아자차카타파하 최종본.txt"
        let oddFile = "x가나다라마바사아자차카타파하가나다라마바사아자차카타파하 수정본.md" // cut one column later
        for name in [longFile, oddFile, "notes.txt", "메모.txt"] {
            try drive.write("local/\(name)", "\(name)\n")
        }
        try drive.succeed(["put", "local", "/\(folder)"])
        try drive.write("readme.txt", "top\n")
        try drive.succeed(["put", "readme.txt", "/readme.txt"])

        let session = try drive.open(as: "tester", width: 80, height: 24)
        var screen = try session.waitForListing { $0.rows.count == 2 }
        var listing = try #require(Listing(screen))
        #expect(UIFrame.problems(screen, width: 80, height: 24) == [], "\(screen)")
        #expect(listing.problems == [], "\(screen)")
        let shown = listing.name(listing.rows[0])
        #expect(shown.hasSuffix("…") && folder.hasPrefix(String(shown.dropLast())), "the folder's name is cut with an ellipsis: \(screen)")
        #expect(listing.names[1] == "readme.txt", "\(screen)")

        try session.sendKeys("g", "Enter") // folders come first
        screen = try session.waitForListing { $0.rows.count == 4 }
        listing = try #require(Listing(screen))
        #expect(UIFrame.problems(screen, width: 80, height: 24) == [], "\(screen)")
        #expect(listing.problems == [], "\(screen)")
        #expect(screen[2].text.contains("…"), "the title is cut with an ellipsis: \(screen)")
        let names = Set(listing.names)
        #expect(names.isSuperset(of: ["notes.txt", "메모.txt"]), "\(screen)")
        var ends: [Int] = []
        for full in [longFile, oddFile] {
            let cut = try #require(listing.names.first { $0.hasSuffix("…") && full.hasPrefix(String($0.dropLast())) }, "\(full) cut with …: \(screen)")
            ends += listing.rows.filter { listing.name($0) == cut }.map(listing.nameEnd)
        }
        // Both cut at the end of the name column: the one shifted by "x" one column short at most
        // (a Hangul syllable is never split; the odd column stays blank).
        #expect(ends.count == 2 && abs(ends[0] - ends[1]) <= 1, "\(ends): \(screen)")
        // The rows for short and long names keep their columns: checked by listing.problems above,
        // and every name starts at the same column.
        #expect(listing.rows.allSatisfy { screen[$0][Listing.nameStart - 1] == " " })
    }

    // MARK: Helpers

    struct VersionRow {
        var number: Int
        var text: String
    }

    /// The rows of the Versions list ("│   v4 2026-11-26 14:46 minji   712 B head …"), top to bottom.
    static func versionRows(_ screen: Screen) -> [VersionRow] {
        screen.lines.compactMap { line in
            guard let match = line.text.firstMatch(of: #/^│\s+v(\d+) \d{4}-\d{2}-\d{2} /#), let number = Int(match.output.1) else { return nil }
            let end = line.column(of: "│", from: 1) ?? line.width
            return VersionRow(number: number, text: line.text(0..<end))
        }
    }
}

extension TmuxSession {
    /// Waits until `condition` holds for the screen; returns it.
    @discardableResult
    func waitForScreen(_ what: String, timeout: Double = 10, _ condition: (Screen) -> Bool) throws -> Screen {
        Screen(try waitFor(what, timeout: timeout) { condition(Screen($0)) })
    }

    /// Waits until the screen shows `text`; returns it.
    @discardableResult
    func waitFor(screen text: String, timeout: Double = 10) throws -> Screen {
        Screen(try waitFor(text, timeout: timeout))
    }

    /// Waits until the screen shows a My Drive listing for which `condition` holds.
    @discardableResult
    func waitForListing(timeout: Double = 10, _ condition: (Listing) -> Bool) throws -> Screen {
        try waitForScreen("the listing", timeout: timeout) { screen in Listing(screen).map(condition) ?? false }
    }

    /// Selects the row named `name` (as listed) with `g` and `j`s; waits for the details pane to show it.
    @discardableResult
    func select(_ name: String) throws -> Screen {
        let listing = try #require(Listing(Screen(try capture())))
        let index = try #require(listing.names.firstIndex(of: name), "no \(name) in \(listing.names)")
        try sendKeys(["g"] + Array(repeating: "j", count: index))
        let shown = name.hasSuffix("/") ? String(name.dropLast()) : name
        return try waitForScreen("\(name) in the details pane") { $0.raw.contains("│ name      \(shown) ") }
    }
}
