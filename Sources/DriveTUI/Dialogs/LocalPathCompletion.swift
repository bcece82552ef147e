import Foundation

/// Tab completion of local paths in prompts, as a shell does it: the longest common start of
/// the names that begin with what was typed; folders end in "/". Reads one folder; call it
/// off the main actor.
public enum LocalPathCompletion {
    /// The completed text and, when several names fit, those names.
    public struct Result: Equatable, Sendable {
        /// The text with the completion applied (unchanged when nothing fits).
        public var text: String
        /// The names that fit, sorted; folders end in "/".
        public var candidates: [String]
    }

    /// Completes `text` (absolute, `~/…` or relative to `directory`).
    public static func complete(_ text: String, directory: String, home: String,
                                fileManager: FileManager = .default) -> Result {
        let slash = text.lastIndex(of: "/")
        let folderPart = slash.map { String(text[...$0]) } ?? ""
        let prefix = slash.map { String(text[text.index(after: $0)...]) } ?? text
        let folder = PathResolution.localPath(folderPart.isEmpty ? "." : folderPart, directory: directory, home: home)
        guard let names = try? fileManager.contentsOfDirectory(atPath: folder) else {
            return Result(text: text, candidates: [])
        }
        let matches = names.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        let candidates = matches.map { name -> String in
            var isFolder: ObjCBool = false
            let path = folder == "/" ? "/" + name : folder + "/" + name
            return fileManager.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue ? name + "/" : name
        }
        guard let first = candidates.first else { return Result(text: text, candidates: []) }
        if candidates.count == 1 { return Result(text: folderPart + first, candidates: candidates) }
        return Result(text: folderPart + Completion.commonPrefix(of: candidates), candidates: candidates)
    }
}
