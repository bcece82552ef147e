import DriveEngine
import Foundation

/// Turns what a person types into paths: drive paths relative to the folder shown, and local
/// paths relative to the working directory with `~` for home. Pure (no file-system access).
public enum PathResolution {
    /// `text` as a drive path: absolute when it starts with "/", else below `folder`; "." and
    /// ".." work as in a shell. Names are validated as the engine does.
    public static func drivePath(_ text: String, from folder: DrivePath, operation: String) throws(DriveError) -> DrivePath {
        var components = text.hasPrefix("/") ? [] : folder.components
        for part in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(try DrivePath.validName(String(part), operation: operation, path: text))
            }
        }
        return try DrivePath("/" + components.joined(separator: "/"), operation: operation)
    }

    /// `text` as an absolute local path: `~` and `~/…` expand to `home`, a relative path is
    /// taken from `directory`; "." and ".." segments are resolved, a trailing "/" dropped.
    public static func localPath(_ text: String, directory: String, home: String) -> String {
        var path = text
        if path == "~" {
            path = home
        } else if path.hasPrefix("~/") {
            path = home + path.dropFirst(1)
        } else if !path.hasPrefix("/") {
            path = directory + "/" + path
        }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The last component of a local path ("/" for the root).
    public static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? "/"
    }

    /// A local file name for version `number` of `name`: "report.v2.txt", "Makefile.v2".
    public static func versionedName(_ name: String, version number: Int) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name).v\(number)" }
        return "\(name[..<dot]).v\(number)\(name[dot...])"
    }
}
