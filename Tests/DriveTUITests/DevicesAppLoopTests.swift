import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The Devices view and the top bar's sync slot on a real store, through the app's loop: two
/// device folders of minji's, a note written in one; `s` syncs it, `S` syncs both.
@MainActor
@Suite struct DevicesAppLoopTests {
    @Test func syncNowFromTheDevicesViewAndTheSlotFollows() async throws {
        var folders: [String] = []
        let harness = try await Harness(width: 100, height: 24) { drive in
            for name in ["desk", "laptop"] {
                let folder = drive.root.appendingPathComponent("dev-\(name)").path
                try drive.session.addDevice(name: name, folder: folder, path: "/동기화")
                folders.append(folder)
            }
            try Data("메모\n".utf8).write(to: URL(fileURLWithPath: folders[0] + "/메모.txt"))
        }
        #expect(harness.screen.split(separator: "\n")[0].contains("sync ↑1 ↓0"), "the slot counts what desk would send")
        #expect(ViewID.devices.key == "0")
        try await harness.press(.character("0"))
        #expect(harness.app.state.view == .devices)
        #expect(harness.app.state.devices.entries?.map(\.device.name) == ["desk", "laptop"])
        #expect(harness.screen.contains("desk") && harness.screen.contains("↑1 ↓0") && harness.screen.contains("never synced"))

        try await harness.press(.character("s"))
        #expect(harness.app.state.message?.text == "Synced: 1 change", "\(String(describing: harness.app.state.message))")
        #expect(try harness.drive.session.contents("/동기화/메모.txt") == Data("메모\n".utf8))
        #expect(harness.screen.split(separator: "\n")[0].contains("sync ↑0 ↓1"), "laptop has it to bring down")

        try await harness.press(.character("S"))
        #expect(harness.screen.split(separator: "\n")[0].contains("sync ✓"))
        #expect(FileManager.default.contents(atPath: folders[1] + "/메모.txt") == Data("메모\n".utf8))

        // Enter opens the device's drive folder in My Drive.
        try await harness.press(.enter)
        #expect(harness.app.state.view == .drive && harness.app.state.browser.folder.description == "/동기화")
    }

    @Test func aDeviceWhoseFolderIsGoneShowsItsError() async throws {
        let harness = try await Harness(width: 100, height: 24) { drive in
            let folder = drive.root.appendingPathComponent("gone").path
            try drive.session.addDevice(name: "usb", folder: folder)
            try FileManager.default.removeItem(atPath: folder)
        }
        #expect(harness.screen.split(separator: "\n")[0].contains("sync !"))
        try await harness.press(.character("0"))
        #expect(harness.screen.contains("the device folder is missing"))
        try await harness.press(.character("s"))
        #expect(harness.app.state.message?.kind == .error)
    }
}
